import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { DEMO_KEY_PREFIX, seedDemoActivity } from '../../src/tenants/demo/demo-activity.js';
import { createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';

describe('demo activity (charts for the embedded demo workspace only)', () => {
  let db: Database;
  let demo: string;
  let real: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const make = (teamId: string, isDemo: boolean) =>
      createTenant(db, { slackTeamId: teamId, name: teamId, isDemo });
    demo = (await make('TDEMOSEED1', true)).id;
    real = (await make('TREALSEED1', false)).id;
  });
  afterAll(() => db.close());

  it('refuses a real workspace: demo data never lands in a real tenant', async () => {
    await expect(seedDemoActivity(db, real)).rejects.toMatchObject({ code: 'not_demo' });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM lore.answers WHERE tenant_id = $1', [
      real,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('adds a month of marked questions, usage, votes and gaps once', async () => {
    const added = await seedDemoActivity(db, demo, { days: 30 });
    expect(added).toBeGreaterThan(100);
    expect(await seedDemoActivity(db, demo, { days: 30 })).toBe(0);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS answers, count(*) FILTER (WHERE idempotency_key LIKE $2)::int AS marked,
              (SELECT count(*) FROM lore.usage_events WHERE tenant_id = $1)::int AS usage,
              (SELECT count(*) FROM lore.knowledge_gaps WHERE tenant_id = $1)::int AS gaps,
              count(DISTINCT (created_at AT TIME ZONE 'UTC')::date)::int AS days
       FROM lore.answers WHERE tenant_id = $1`,
      [demo, `${DEMO_KEY_PREFIX}%`],
    );
    expect(rows[0]).toMatchObject({ answers: added, marked: added, usage: added, days: 30 });
    // With no sample guide to cite, every demo question is honestly unanswered.
    expect(rows[0].gaps).toBe(added);
  });
});
