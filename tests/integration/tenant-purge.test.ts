import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/logger.js';
import { purgeDeactivatedTenants } from '../../src/tenants/lifecycle/tenant-purge.job.js';
import { createDocument, createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

const logger = createLogger({ level: 'silent' });
const DAY = 86_400_000;

describe('purge of deactivated tenants after the grace period', () => {
  let db: Database;
  const ids: Record<string, string> = {};

  /** A tenant with a document and an installation, deactivated `daysAgo` days ago (undefined: still active). */
  async function tenant(
    name: string,
    daysAgo?: number,
    status = daysAgo === undefined ? 'active' : 'inactive',
  ) {
    const t = await createTenant(db, { slackTeamId: `T${name}`, name });
    await db.pool.query(`UPDATE lore.tenants SET status = $2, deactivated_at = $3 WHERE id = $1`, [
      t.id,
      status,
      daysAgo === undefined ? null : new Date(Date.now() - daysAgo * DAY),
    ]);
    await createDocument(db, t.id);
    await db.pool.query(`INSERT INTO lore.installations (tenant_id, slack_team_id) VALUES ($1, $2)`, [
      t.id,
      `T${name}`,
    ]);
    ids[name] = t.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await tenant('LONGGONE', 31);
    await tenant('RECENT', 29);
    await tenant('ACTIVE');
    await tenant('SUSPENDED', 40, 'suspended');
  });
  afterAll(() => db.close());

  it('deletes only tenants inactive for longer than the grace period, with all their data, and audits it', async () => {
    const filesPurged: string[] = [];
    const purged = await purgeDeactivatedTenants({
      db,
      logger,
      graceDays: 30,
      purgeFiles: async (tenantId) => void filesPurged.push(tenantId),
    });
    expect(purged).toEqual([ids.LONGGONE]);
    expect(filesPurged).toEqual([ids.LONGGONE]);

    const left = await db.pool.query('SELECT name FROM lore.tenants WHERE NOT is_demo ORDER BY name');
    expect(left.rows.map((r) => r.name)).toEqual(['ACTIVE', 'RECENT', 'SUSPENDED']);
    for (const table of ['documents', 'installations', 'tenant_settings']) {
      const rows = await db.pool.query(`SELECT count(*)::int AS n FROM lore.${table} WHERE tenant_id = $1`, [
        ids.LONGGONE,
      ]);
      expect(rows.rows[0].n, table).toBe(0);
    }
    const audit = await db.pool.query(
      "SELECT tenant_id, target, details FROM lore.audit_log WHERE action = 'tenant.purged'",
    );
    expect(audit.rows).toEqual([
      {
        tenant_id: null,
        target: ids.LONGGONE,
        details: expect.objectContaining({ name: 'LONGGONE', slackTeamId: 'TLONGGONE', graceDays: 30 }),
      },
    ]);
  });

  it('running again purges nothing more; a shorter grace period reaches the recent one', async () => {
    expect(await purgeDeactivatedTenants({ db, logger, graceDays: 30 })).toEqual([]);
    expect(await purgeDeactivatedTenants({ db, logger, graceDays: 7 })).toEqual([ids.RECENT]);
  });
});
