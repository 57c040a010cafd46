import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { migrate, pendingMigrations } from '../../src/infra/db/migrate.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { devSignIn } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import { TEST_DATABASE_URL } from '../support/native-postgres.js';
import { type Bouncer, PGBOUNCER_BIN, startPgBouncer } from '../support/pgbouncer.js';
import { startTestApp } from '../support/test-app.js';
import { createBlankTestDatabase, createTestDatabase, onNativePostgres } from '../support/test-db.js';

const HANDBOOK = `# Leave policy

## Vacation
Every employee gets 27 vacation days per year. Unused vacation days carry over until the end of March.
`;

// Native Postgres only (PgBouncer needs a real server behind it). Supabase's transaction pooler (port
// 6543) hands each transaction whichever server connection is free: session state (SET, session advisory
// locks, LISTEN, named prepared statements) would leak between clients or get lost. Lore keeps its state
// in transactions (SET LOCAL ROLE, set_config(…, true)); this holds it to that through a real PgBouncer.
describe.skipIf(!onNativePostgres)('through PgBouncer in transaction mode', () => {
  let bouncer: Bouncer;
  const url = (db: Database) => (db as Database & { url: string }).url;

  beforeAll(async () => {
    if (!existsSync(PGBOUNCER_BIN))
      throw new Error(`${PGBOUNCER_BIN} is missing: apt-get install pgbouncer (.ci/run does)`);
    const upstream = new URL(TEST_DATABASE_URL ?? '');
    bouncer = await startPgBouncer({
      host: upstream.hostname,
      port: Number(upstream.port || 5432),
      user: decodeURIComponent(upstream.username),
    });
  });
  afterAll(() => bouncer?.stop());

  it('npm run db:migrate applies every migration, twice at once, and leaves no lock behind', async () => {
    const direct = await createBlankTestDatabase();
    const pooled = createPostgresDatabase(bouncer.via(url(direct)), { max: 6 });
    try {
      const [one, two] = await Promise.all([migrate(pooled), migrate(pooled)]);
      expect(one.length + two.length).toBeGreaterThan(0);
      expect(await pendingMigrations(pooled.pool)).toEqual([]);
      // pg_locks is the whole server's: only this database's locks are the migrations' (other test files
      // take advisory locks of their own meanwhile, the tenant vector index maintenance among them).
      const locks = await direct.pool.query(
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      expect(locks.rows).toEqual([{ n: 0 }]);
    } finally {
      await pooled.close();
      await direct.close();
    }
  });

  it('answers a question from an uploaded document, and no tenant or role outlives its transaction', async () => {
    const direct = await createTestDatabase();
    // Eight clients over two server connections: transactions of different tenants share backends.
    const pooled = createPostgresDatabase(bouncer.via(url(direct)), { max: 8 });
    const app = await startTestApp({}, { database: pooled });
    try {
      const admin = await devSignIn(app.url);
      const form = new FormData();
      form.append('file', new Blob([HANDBOOK], { type: 'text/markdown' }), 'leave.md');
      const upload = await admin.json('/api/documents', { method: 'POST', body: form });
      const docId = upload.body.results[0].document.id as string;
      let status = '';
      for (let i = 0; i < 200 && status !== 'ready' && status !== 'failed'; i++) {
        status = (await admin.json(`/api/documents/${docId}`)).body.document.status;
        if (status !== 'ready') await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe('ready');
      const { status: code, body } = await admin.json('/api/ask', {
        method: 'POST',
        json: { question: 'How many vacation days do employees get?' },
      });
      expect(code).toBe(200);
      expect(body.text).toContain('27 vacation days');

      // Tenant transactions and plain queries interleaved on the shared backends.
      const other = (await createTenant(pooled, { slackTeamId: 'TBOUNCER', name: 'Other' })).id;
      const seen = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? withTenant(pooled, other, (c) => c.query('SELECT count(*) FROM lore.documents')).then(
                () => null,
              )
            : pooled.pool
                .query<{ role: string; tenant: string | null }>(
                  `SELECT current_user AS role, nullif(current_setting('app.tenant_id', true), '') AS tenant`,
                )
                .then((r) => r.rows[0]),
        ),
      );
      const outside = seen.filter((r) => r !== null);
      expect(outside).toHaveLength(20);
      expect(new Set(outside.map((r) => `${r?.role}/${r?.tenant}`))).toEqual(
        new Set([`${new URL(url(direct)).username}/null`]),
      );
    } finally {
      await app.cleanup();
      await direct.close();
    }
  }, 60_000);
});
