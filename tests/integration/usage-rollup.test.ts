import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { getUsageReport } from '../../src/usage/usage-report.service.js';
import { rollUpUsage } from '../../src/usage/usage-rollup.job.js';
import { createAnswer, createTenant } from '../support/factories.js';
import { createTestDatabase } from '../support/test-db.js';
import {
  daysAgo,
  isoDay,
  rolledDay as rolledDayOf,
  rollupRows,
  seedUsage,
} from '../support/usage-fixtures.js';

const FROM = isoDay(daysAgo(9));
const TO = isoDay(daysAgo(0));

describe('usage rollup (complete UTC days into usage_daily, read back by the usage report)', () => {
  let db: Database;
  let a: string;
  let b: string;

  const report = (tenantId: string) => getUsageReport(db, tenantId, FROM, TO);
  /** The same report computed from the raw tables only: what the dashboard showed before rollups existed. */
  async function rawReport(tenantId: string) {
    const { rows } = await db.pool.query('SELECT rolled_through::text FROM lore.usage_rollup_state');
    await db.pool.query('UPDATE lore.usage_rollup_state SET rolled_through = NULL');
    try {
      return await report(tenantId);
    } finally {
      await db.pool.query('UPDATE lore.usage_rollup_state SET rolled_through = $1', [rows[0].rolled_through]);
    }
  }
  const rolledDay = (tenantId: string, day: Date) => rolledDayOf(db, tenantId, day);
  const dayOf = (r: Awaited<ReturnType<typeof report>>, d: Date) => r.days.find((x) => x.day === isoDay(d));

  beforeAll(async () => {
    db = await createTestDatabase();
    a = (await createTenant(db, { slackTeamId: 'TROLLA', name: 'A' })).id;
    b = (await createTenant(db, { slackTeamId: 'TROLLB', name: 'B' })).id;
    await seedUsage(db, a, b);
  });
  afterAll(() => db.close());

  it('rolls every complete day into usage_daily and reports exactly what the raw tables give', async () => {
    const before = await report(a);
    // Not a vacuous comparison: the raw report has the seeded usage.
    expect(dayOf(before, daysAgo(6))).toMatchObject({
      questions: 2,
      answered: 2,
      promptTokens: 1700,
      avgLatencyMs: 1200,
      thumbsUp: 1,
    });
    expect(dayOf(before, daysAgo(5))).toMatchObject({
      questions: 2,
      answered: 0,
      unanswered: 1,
      promptTokens: 5000,
      avgLatencyMs: 300,
    });

    const run = await rollUpUsage(db);
    expect(run).toMatchObject({ from: isoDay(daysAgo(6)), through: isoDay(daysAgo(1)) });

    expect(await rolledDay(a, daysAgo(6))).toEqual({
      questions: 2,
      answered: 2,
      unanswered: 0,
      prompt: 1700,
      cost: '0.000534',
      up: 1,
      down: 0,
    });
    expect(await rolledDay(a, daysAgo(5))).toMatchObject({
      questions: 2,
      unanswered: 1,
      prompt: 5000,
      cost: '0.000100',
    });
    expect(await rolledDay(a, daysAgo(3))).toMatchObject({ questions: 2, up: 1, down: 1, cost: '0.000778' });
    // Today is not complete: it is never rolled.
    expect(await rolledDay(a, daysAgo(0))).toBeUndefined();
    const channels = await db.pool.query(
      `SELECT slack_channel_id AS channel, sum(questions)::int AS questions, sum(tokens)::int AS tokens
       FROM lore.usage_daily_breakdown WHERE tenant_id = $1 GROUP BY 1 ORDER BY 1`,
      [a],
    );
    expect(channels.rows).toEqual([
      { channel: '', questions: 1, tokens: 2300 },
      { channel: 'CENG', questions: 2, tokens: 0 },
      { channel: 'CHR', questions: 3, tokens: 1911 },
      { channel: 'CSALES', questions: 1, tokens: 440 },
    ]);

    const after = await report(a);
    expect(after).toEqual(before);
    expect(await report(b)).toEqual(await rawReport(b));
  });

  it('serves complete days from the rollup, not from the raw rows', async () => {
    await db.pool.query(
      `UPDATE lore.usage_daily SET questions = questions + 40 WHERE tenant_id = $1 AND day = $2`,
      [a, isoDay(daysAgo(3))],
    );
    try {
      expect(dayOf(await report(a), daysAgo(3))?.questions).toBe(42);
    } finally {
      await db.pool.query(
        `UPDATE lore.usage_daily SET questions = questions - 40 WHERE tenant_id = $1 AND day = $2`,
        [a, isoDay(daysAgo(3))],
      );
    }
  });

  it('changes nothing when it runs again', async () => {
    const rows = await rollupRows(db);
    expect(rows.length).toBeGreaterThan(0);
    expect(await rollUpUsage(db)).toMatchObject({ dayRows: 0, breakdownRows: 0 });
    expect(await rollupRows(db)).toEqual(rows);
  });

  it('picks up a late event for yesterday, and a change to an older day, on the next run', async () => {
    await createAnswer(db, a, {
      question: 'late',
      at: daysAgo(1, 22),
      userId: 'UDAN',
      channelId: 'CSALES',
      promptTokens: 30,
      costUsd: 0.00003,
      latencyMs: 200,
    });
    await createAnswer(db, a, {
      question: 'back-dated',
      at: daysAgo(6, 8),
      userId: 'UDAN',
      channelId: 'COPS',
      promptTokens: 5,
      latencyMs: 50,
    });
    // A vote changed today on an answer of 3 days ago moves from that day to today, as the raw report counts it.
    await db.pool.query(
      `UPDATE lore.answer_feedback f SET vote = 1 FROM lore.answers q
       WHERE q.id = f.answer_id AND q.question = 'q5' AND f.slack_user_id = 'UBEN'`,
    );
    // Until the job runs, those days are read raw: the report is already right.
    const raw = await rawReport(a);
    expect(dayOf(raw, daysAgo(1))).toMatchObject({ questions: 2, promptTokens: 430, avgLatencyMs: 450 });
    expect(dayOf(raw, daysAgo(6))).toMatchObject({ questions: 3 });
    expect(dayOf(raw, daysAgo(3))).toMatchObject({ thumbsUp: 1, thumbsDown: 0 });
    expect(dayOf(raw, daysAgo(0))).toMatchObject({ thumbsUp: 1 });
    expect(await report(a)).toEqual(raw);
    expect(await rolledDay(a, daysAgo(1))).toMatchObject({ questions: 1 });

    expect(await rollUpUsage(db)).toMatchObject({ staleDays: 2 });
    expect(await rolledDay(a, daysAgo(1))).toMatchObject({ questions: 2, prompt: 430, cost: '0.000130' });
    expect(await rolledDay(a, daysAgo(6))).toMatchObject({ questions: 3 });
    expect(await rolledDay(a, daysAgo(3))).toMatchObject({ up: 1, down: 0 });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM lore.usage_daily_stale')).rows[0].n).toBe(0);
    expect(await report(a)).toEqual(raw);
  });

  it('drops the questions of answers deleted after their day was rolled (metered usage stays)', async () => {
    await db.pool.query(`DELETE FROM lore.answers WHERE tenant_id = $1 AND created_at < $2`, [
      a,
      daysAgo(4, 0),
    ]);
    const raw = await rawReport(a);
    expect(dayOf(raw, daysAgo(6))).toMatchObject({ questions: 0, promptTokens: 1705 });
    expect(await report(a)).toEqual(raw);
    await rollUpUsage(db);
    expect(await rolledDay(a, daysAgo(6))).toMatchObject({ questions: 0, prompt: 1705 });
    const gone = await db.pool.query(
      `SELECT count(*)::int AS n FROM lore.usage_daily_breakdown WHERE tenant_id = $1 AND day = $2 AND questions > 0`,
      [a, isoDay(daysAgo(6))],
    );
    expect(gone.rows[0].n).toBe(0);
    expect(await report(a)).toEqual(raw);
  });

  it("keeps each tenant's rollup rows to that tenant, and read-only for the app role", async () => {
    for (const self of [a, b]) {
      const seen = await withTenant(db, self, async (c) => [
        ...(await c.query<{ tenant_id: string }>('SELECT tenant_id FROM lore.usage_daily')).rows,
        ...(await c.query<{ tenant_id: string }>('SELECT tenant_id FROM lore.usage_daily_breakdown')).rows,
      ]);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((r) => r.tenant_id !== self)).toEqual([]);
    }
    expect(JSON.stringify(await report(a))).not.toContain('CSECRET');
    await expect(
      withTenant(db, b, (c) =>
        c.query(`INSERT INTO lore.usage_daily (tenant_id, day, questions) VALUES ($1, $2, 1)`, [
          b,
          isoDay(daysAgo(8)),
        ]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(withTenant(db, b, (c) => c.query('DELETE FROM lore.usage_daily_stale'))).rejects.toThrow(
      /permission denied/,
    );
  });
});
