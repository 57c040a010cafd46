import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { APP_ROLE, withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { insertDocument } from '../../src/knowledge/documents.repo.js';
import type { Tenant } from '../../src/tenants/tenants.repo.js';
import { buildDocument, createDocument, createTenant } from '../support/factories.js';
import { storeSearchableDocument } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

describe('row-level security (queries run as the app role, not the superuser)', () => {
  let db: Database;
  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTenant(db, { slackTeamId: 'TAAAA', name: 'A' });
    b = await createTenant(db, { slackTeamId: 'TBBBB', name: 'B' });
    for (const t of [a, b]) {
      await createDocument(db, t.id, { title: `${t.name} handbook`, sourceName: `${t.name}.md` });
    }
  });
  afterAll(() => db.close());

  it('runs tenant work as the non-superuser app role', async () => {
    const role = await withTenant(db, a.id, (c) => c.query('SELECT current_user AS u'));
    expect(role.rows[0].u).toBe(APP_ROLE);
  });

  it("inside withTenant(A) never returns B's rows", async () => {
    const docs = await withTenant(db, a.id, (c) => c.query('SELECT title, tenant_id FROM lore.documents'));
    expect(docs.rows).toEqual([{ title: 'A handbook', tenant_id: a.id }]);
    const tenants = await withTenant(db, a.id, (c) => c.query('SELECT id FROM lore.tenants'));
    expect(tenants.rows).toEqual([{ id: a.id }]);
    const byId = await withTenant(db, a.id, (c) =>
      c.query('SELECT id FROM lore.documents WHERE tenant_id = $1', [b.id]),
    );
    expect(byId.rows).toEqual([]);
  });

  it('outside any tenant, the app role sees no tenant rows at all', async () => {
    const rows = await withTransaction(db, async (c) => {
      await c.query(`SET LOCAL ROLE ${APP_ROLE}`);
      return (await c.query('SELECT id FROM lore.documents')).rows;
    });
    expect(rows).toEqual([]);
  });

  it("refuses to write a row into another tenant's data", async () => {
    await expect(
      withTenant(db, a.id, (c) => insertDocument(c, buildDocument(b.id, { title: 'x', sourceName: 'x.md' }))),
    ).rejects.toThrow(/row-level security/);
    const bDocs = await withTenant(db, b.id, (c) => c.query('SELECT title FROM lore.documents'));
    expect(bDocs.rows).toEqual([{ title: 'B handbook' }]);
  });

  it("fences collections and channel scopes: A sees only its own, and cannot map a channel to B's collection", async () => {
    await withTenant(db, b.id, async (c) => {
      await c.query(`INSERT INTO lore.channel_scopes (tenant_id, channel_id) VALUES ($1, 'C0BONLY')`, [b.id]);
    });
    const seen = await withTenant(db, a.id, async (c) => ({
      collections: (await c.query('SELECT tenant_id, name FROM lore.collections')).rows,
      scopes: (await c.query('SELECT channel_id FROM lore.channel_scopes')).rows,
    }));
    expect(seen).toEqual({ collections: [{ tenant_id: a.id, name: 'Everyone' }], scopes: [] });
    const bCollection = await withTenant(
      db,
      b.id,
      async (c) => (await c.query('SELECT id FROM lore.collections')).rows[0].id,
    );
    await expect(
      withTenant(db, a.id, async (c) => {
        await c.query(`INSERT INTO lore.channel_scopes (tenant_id, channel_id) VALUES ($1, 'C0AONLY')`, [
          a.id,
        ]);
        await c.query(
          `INSERT INTO lore.channel_collections (tenant_id, channel_id, collection_id) VALUES ($1, 'C0AONLY', $2)`,
          [a.id, bCollection],
        );
      }),
    ).rejects.toThrow(/foreign key/);
  });

  it('keeps the audit log append-only for the app role', async () => {
    await withTenant(db, a.id, (c) =>
      c.query(`INSERT INTO lore.audit_log (tenant_id, actor, action) VALUES ($1, 'U1', 'settings.updated')`, [
        a.id,
      ]),
    );
    await expect(withTenant(db, a.id, (c) => c.query('DELETE FROM lore.audit_log'))).rejects.toThrow(
      /permission denied/,
    );
  });

  it("lore.full_text_chunk_ids (SECURITY DEFINER, bypasses RLS for the GIN index) returns only the current tenant's chunk ids", async () => {
    // The same phrase in both tenants, and a word only B has.
    const own = await withTenant(db, a.id, async (c) => {
      await storeSearchableDocument(c, a.id, 'A fence', [
        { content: 'The zanzibar fence is painted green.' },
      ]);
      return (await c.query<{ id: string }>('SELECT id FROM lore.chunks ORDER BY id')).rows.map((r) => r.id);
    });
    const theirs = await withTenant(db, b.id, async (c) => {
      await storeSearchableDocument(c, b.id, 'B fence', [
        { content: 'The zanzibar fence hides the quokkaberry vault.' },
      ]);
      return (await c.query<{ id: string }>('SELECT id FROM lore.chunks ORDER BY id')).rows.map((r) => r.id);
    });
    const ids = (tenant: string, query: string) =>
      withTenant(db, tenant, async (c) =>
        (
          await c.query<{ id: string }>(
            `SELECT id FROM lore.full_text_chunk_ids(to_tsquery('english', $1)) ORDER BY id`,
            [query],
          )
        ).rows.map((r) => r.id),
      );
    expect(own).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    expect(await ids(a.id, 'zanzibar & fence')).toEqual(own);
    expect(await ids(b.id, 'zanzibar & fence')).toEqual(theirs);
    // A word only B's chunk holds: nothing for A.
    expect(await ids(a.id, 'quokkaberry')).toEqual([]);
    // Outside withTenant (no app.tenant_id), nothing at all.
    const outside = await withTransaction(db, async (c) => {
      await c.query(`SET LOCAL ROLE ${APP_ROLE}`);
      return (await c.query(`SELECT id FROM lore.full_text_chunk_ids(to_tsquery('english', 'zanzibar'))`))
        .rows;
    });
    expect(outside).toEqual([]);
    // No tenant argument to forge, its search_path pinned, and only lore_app (not PUBLIC) may execute it.
    const { rows } = await db.pool.query(`
      SELECT p.prosecdef AS definer, pg_get_function_identity_arguments(p.oid) AS args, p.proconfig AS config,
             has_function_privilege('lore_app', p.oid, 'EXECUTE') AS app,
             EXISTS (SELECT 1 FROM aclexplode(p.proacl) x WHERE x.grantee = 0) AS public
      FROM pg_proc p WHERE p.oid = 'lore.full_text_chunk_ids(tsquery)'::regprocedure`);
    expect(rows).toEqual([
      {
        definer: true,
        args: 'p_query tsquery',
        config: ['search_path=pg_catalog, lore, pg_temp'],
        app: true,
        public: false,
      },
    ]);
  });

  it('rejects a tenant id that is not a uuid before touching the database', async () => {
    await expect(withTenant(db, "x'; DROP TABLE lore.tenants; --", async () => 1)).rejects.toThrow(
      /must be a uuid/,
    );
  });
});
