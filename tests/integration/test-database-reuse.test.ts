import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

// Test databases are cheap because PGlite engines are reused between files (tests/support/
// pglite-engine-pool.ts); what a file gets must still be exactly a freshly migrated database.
describe('a test database', () => {
  const open: Database[] = [];
  const fresh = async () => {
    const db = await createTestDatabase();
    open.push(db);
    return db;
  };
  const close = async (db: Database) => {
    open.splice(open.indexOf(db), 1);
    await db.close();
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });

  const plans = async (db: Database) =>
    (await db.pool.query('SELECT * FROM lore.plans ORDER BY 1')).rows.map((r) => JSON.stringify(r));

  it("holds no rows of an earlier user, the migrations' own rows as migrated, unused sequences and a clean session", async () => {
    const first = await fresh();
    const migratedPlans = await plans(first);
    expect(migratedPlans.length).toBeGreaterThan(0);
    await createTenant(first);
    await first.pool.query("DELETE FROM lore.plans WHERE id <> 'free'");
    await first.pool.query("SELECT nextval('lore.usage_daily_stale_version')");
    await first.pool.query("SET application_name = 'left-behind'");
    await close(first);

    const second = await fresh();
    expect(await plans(second)).toEqual(migratedPlans);
    expect((await second.pool.query('SELECT count(*)::int AS n FROM lore.tenants')).rows[0].n).toBe(0);
    expect((await second.pool.query("SELECT nextval('lore.usage_daily_stale_version') AS v")).rows[0].v).toBe(
      '1',
    );
    expect((await second.pool.query('SHOW application_name')).rows[0].application_name).not.toBe(
      'left-behind',
    );
  });

  it('never shows a schema change an earlier user made', async () => {
    const first = await fresh();
    await first.pool.query('CREATE TABLE lore.left_behind (id int)');
    await close(first);

    const second = await fresh();
    const table = await second.pool.query("SELECT to_regclass('lore.left_behind') AS t");
    expect(table.rows[0].t).toBeNull();
  });
});
