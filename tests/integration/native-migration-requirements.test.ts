import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import { databaseOf, TEST_DATABASE_URL, uniqueName, withConnection } from '../support/native-postgres.js';
import { SEARCH_TEST_MODEL, storeSearchableDocument } from '../support/search-documents.js';
import { createNativeDatabaseFrom, onNativePostgres } from '../support/test-db.js';

const run = promisify(execFile);

/** What the migrations left behind: Lore's schemas, if any were created. */
async function loreSchemas(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname IN ('lore', 'supabase_migrations') ORDER BY 1`,
  );
  return rows.map((r) => r.nspname);
}

// Native Postgres only: each case is a database or role PGlite cannot have (no pgvector, an old pgvector,
// pgvector in `public`, a role without rights); the templates come from scripts/ci/prepare-native-postgres.sh.
describe.skipIf(!onNativePostgres)(
  'migrations on a badly prepared database stop with one clear message',
  () => {
    const base = databaseOf(TEST_DATABASE_URL ?? 'postgresql://x/x');
    const open: Database[] = [];
    const fresh = async (template: string) => {
      const db = await createNativeDatabaseFrom(template);
      open.push(db);
      return db;
    };
    afterAll(async () => {
      for (const db of open.reverse()) await db.close().catch(() => {});
    });

    it('a database without pgvector: names the fix, creates nothing', async () => {
      const db = await fresh('template0');
      await expect(migrate(db)).rejects.toThrow(
        /pgvector is not enabled in database "lore_t_\w+" \(role "\w+"\), and only a superuser may enable it: as a superuser run CREATE EXTENSION vector/,
      );
      expect(await loreSchemas(db)).toEqual([]);
    });

    it('pgvector older than 0.8: says which version and how to update, creates nothing', async () => {
      const db = await fresh(`${base}_vector_07`);
      await expect(migrate(db)).rejects.toThrow(
        /pgvector 0\.7\.4 is enabled in database .*Lore needs pgvector 0\.8\.0 or later.*ALTER EXTENSION vector UPDATE/,
      );
      expect(await loreSchemas(db)).toEqual([]);
    });

    it('npm run db:migrate prints that one message and exits 1', async () => {
      const db = await fresh('template0');
      const url = (db as Database & { url: string }).url;
      const result = await run(
        process.execPath,
        ['--import', 'tsx', path.resolve('scripts/cli.ts'), 'migrate'],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url } },
      ).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(`${result.stdout}${result.stderr}`.trim().split('\n')).toEqual([
        expect.stringMatching(/^Error: pgvector is not enabled in database "lore_t_\w+"/),
      ]);
      expect(await loreSchemas(db)).toEqual([]);
    }, 60_000);

    it('a role without the rights the migrations need: says which right, creates nothing until given it', async () => {
      const db = await fresh(base);
      const url = (db as Database & { url: string }).url;
      const role = uniqueName(inject('nativeRunPrefix'));
      const asOwner = (sql: string) => withConnection(url, (c) => c.query(sql));
      await asOwner(`CREATE ROLE "${role}" LOGIN PASSWORD 'weak'`);
      const weakUrl = new URL(url);
      weakUrl.username = role;
      weakUrl.password = 'weak';
      const weak = createPostgresDatabase(weakUrl.toString(), { max: 1 });
      try {
        await expect(migrate(weak)).rejects.toThrow(
          new RegExp(
            `Role "${role}" may not create schemas in database "lore_t_\\w+".*GRANT CREATE ON DATABASE`,
          ),
        );
        await asOwner(`GRANT CREATE ON DATABASE "${databaseOf(url)}" TO "${role}"`);
        await expect(migrate(weak)).rejects.toThrow(
          new RegExp(`Role "${role}" cannot switch to lore_app.*GRANT lore_app TO "${role}"`),
        );
        await asOwner(`GRANT lore_app TO "${role}"`);
        await expect(migrate(weak)).rejects.toThrow(
          /lore_app, the role tenant queries run as, needs USAGE on schema "extensions".*GRANT USAGE ON SCHEMA "extensions" TO lore_app/,
        );
        expect(await loreSchemas(db)).toEqual([]);

        await asOwner('GRANT USAGE ON SCHEMA extensions TO lore_app');
        expect((await migrate(weak)).length).toBeGreaterThan(0);
      } finally {
        await weak.close();
      }
    }, 60_000);

    it('pgvector in public (plain Postgres, enabled by a superuser): migrations apply and vector search works', async () => {
      const db = await fresh(`${base}_public`);
      await migrate(db);
      const tenant = (await createTenant(db, { slackTeamId: 'TPUBLIC', name: 'Public' })).id;
      await withTenant(db, tenant, (c) =>
        storeSearchableDocument(c, tenant, 'Expenses', [
          { content: 'Submit expense claims in Ledgerly within 30 days, with receipts.' },
        ]),
      );
      const { hits } = await withTenant(db, tenant, (c) =>
        searchKnowledge(c, tenant, {
          query: 'submitting claim within thirty days',
          k: 5,
          embedding: fakeEmbedding('Submit expense claims within 30 days'),
          embeddingModel: SEARCH_TEST_MODEL,
        }),
      );
      expect(hits[0]).toMatchObject({ title: 'Expenses', semanticRank: 1 });
    });
  },
);
