import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { listMigrationFiles, migrate, pendingMigrations } from '../../src/infra/db/migrate.js';
import { createBlankTestDatabase, createTestDatabase } from '../support/test-db.js';

// A full migration from nothing on PGlite, under load, can take 30 s.
describe('migrations', { timeout: 120_000 }, () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  // One database from nothing for all of this: on PGlite every full migration costs seconds of CPU.
  it('apply to a fresh database in two runs, the later by two replicas at once in new sessions, each migration once, recorded where the Supabase CLI looks; one more run is a no-op', async () => {
    const { copyFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const files = await listMigrationFiles();
    expect(files.length).toBeGreaterThan(2);
    const firstTwo = await mkdtemp(`${tmpdir()}/lore-mig-`);
    for (const f of files.slice(0, 2)) await copyFile(f.file, `${firstTwo}/${f.version}_${f.name}.sql`);
    db = await createBlankTestDatabase();
    expect(await pendingMigrations(db.pool)).toHaveLength(files.length);
    expect((await migrate(db, firstTwo)).map((m) => m.version)).toEqual(
      files.slice(0, 2).map((f) => f.version),
    );

    // On native Postgres each replica is a new connection: nothing has loaded pgvector's library in it yet,
    // and the pgvector settings in a function must need no superuser.
    const url = 'url' in db ? String(db.url) : undefined;
    const replicas = url ? [1, 2].map(() => createPostgresDatabase(url, { max: 1 })) : [db, db];
    try {
      const [one = [], two = []] = await Promise.all(replicas.map((r) => migrate(r)));
      const versions = [...one, ...two].map((m) => m.version).sort();
      expect(versions).toEqual(files.slice(2).map((f) => f.version));
    } finally {
      for (const r of replicas) if (r !== db) await r.close();
    }

    const { rows } = await db.pool.query(
      'SELECT version, name FROM supabase_migrations.schema_migrations ORDER BY 1',
    );
    expect(rows).toEqual(files.map((f) => ({ version: f.version, name: f.name })));
    expect(await migrate(db)).toEqual([]);
    expect(await pendingMigrations(db.pool)).toEqual([]);
  });

  it('create the v1 tables in the lore schema with row-level security on every tenant table', async () => {
    // The run's migrated database: made by the same migrate() on a fresh database (the first test above
    // checks that step itself), so this need not run every migration once more.
    db = await createTestDatabase();
    const { rows } = await db.pool.query<{ relname: string; relrowsecurity: boolean; has_tenant: boolean }>(`
      SELECT c.relname, c.relrowsecurity,
             EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id') AS has_tenant
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'lore' AND c.relkind = 'r' ORDER BY 1`);
    const names = rows.map((r) => r.relname);
    for (const table of [
      'tenants',
      'installations',
      'plans',
      'tenant_settings',
      'documents',
      'document_versions',
      'chunks',
      'conversations',
      'answers',
      'answer_citations',
      'answer_feedback',
      'usage_events',
      'usage_daily',
      'audit_log',
      'dashboard_sessions',
      'api_keys',
    ]) {
      expect(names).toContain(table);
    }
    const unprotected = rows.filter((r) => (r.has_tenant || r.relname === 'tenants') && !r.relrowsecurity);
    expect(unprotected.map((r) => r.relname)).toEqual([]);
    const publicTables = await db.pool.query(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'`,
    );
    expect(publicTables.rows).toEqual([]);
  });

  it('20261211000100 re-reads the chunks already stored: their dotted names are searchable and counted as words', async () => {
    const { copyFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { withTenant } = await import('../../src/infra/db/transaction.js');
    const { deleteDocumentRow } = await import('../../src/knowledge/documents.repo.js');
    const { createTenant } = await import('../support/factories.js');
    const { storeSearchableDocument } = await import('../support/search-documents.js');
    const files = await listMigrationFiles();
    const at = files.findIndex((f) => f.version === '20261211000100');
    const before = await mkdtemp(`${tmpdir()}/lore-mig-`);
    for (const f of files.slice(0, at)) await copyFile(f.file, `${before}/${f.version}_${f.name}.sql`);
    db = await createBlankTestDatabase();
    await migrate(db, before);
    const tenant = (await createTenant(db, { slackTeamId: 'TMIGSPLIT', name: 'Split' })).id;
    const stored = await withTenant(db, tenant, (c) =>
      storeSearchableDocument(c, tenant, 'Runtime', [{ content: 'Services run on Node.js 20.' }], {
        embed: false,
      }),
    );
    const read = () =>
      withTenant(db as Database, tenant, async (c) => ({
        matches: (await c.query(`SELECT 1 FROM lore.chunks WHERE fts @@ to_tsquery('english', 'node')`))
          .rowCount,
        words: (await c.query<{ word: string }>('SELECT word FROM lore.tenant_words ORDER BY word')).rows.map(
          (r) => r.word,
        ),
      }));
    expect(await read()).toEqual({ matches: 0, words: ['runtime', 'services'] });

    await migrate(db);
    expect(await read()).toEqual({ matches: 1, words: ['node', 'runtime', 'services'] });
    // Counted down by the words it was counted up by: nothing is left behind.
    await withTenant(db, tenant, (c) => deleteDocumentRow(c, stored.documentId));
    expect(await read()).toEqual({ matches: 0, words: [] });
  });

  it('rolls back a failing migration completely and names the file', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/lore-mig-`);
    await writeFile(`${dir}/20260101000000_good.sql`, 'CREATE TABLE good_one (id int);');
    await writeFile(
      `${dir}/20260101000001_bad.sql`,
      'CREATE TABLE bad_one (id int); SELECT nonsense_column FROM good_one;',
    );
    db = await createBlankTestDatabase();
    await expect(migrate(db, dir)).rejects.toThrow(/20260101000001_bad\.sql failed/);
    const tables = await db.pool.query(
      `SELECT to_regclass('good_one') AS good, to_regclass('bad_one') AS bad`,
    );
    expect(tables.rows[0]).toEqual({ good: 'good_one', bad: null });
    expect((await pendingMigrations(db.pool, dir)).map((m) => m.name)).toEqual(['bad']);
  });

  it('refuses a migration file that does not follow the naming rule', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/lore-mig-`);
    await writeFile(`${dir}/add_stuff.sql`, 'SELECT 1;');
    await expect(listMigrationFiles(dir)).rejects.toThrow(/add_stuff\.sql.*<YYYYMMDDHHMMSS>_<name>\.sql/);
  });
});
