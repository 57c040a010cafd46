import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueueJob } from '../../src/infra/queue/job-definition.js';
import { usageRollupJob } from '../../src/usage/usage-rollup.job.js';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createAnswer, createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
const DAY = 86_400_000;
const noonDaysAgo = (n: number) => {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(12, 0, 0, 0);
  return d;
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('dashboard usage, conversations and knowledge gaps (over answers, usage events and feedback)', () => {
  let app: TestApp;
  let admin: Browser;
  let other: Browser;
  let gapId: string;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await devSignIn(app.url);
    const a = (await admin.json('/api/session')).body.workspace.tenantId;
    const b = (await createTenant(app.container.db, { slackTeamId: 'TUSAGE0002', name: 'Usage B' })).id;
    other = await sessionFor(app.url, app.container.db, { tenantId: b, userId: 'UB' });
    const db = app.container.db;
    await createAnswer(db, a, {
      question: 'How many vacation days do I get?',
      answer: 'You get 25 days [1].',
      at: noonDaysAgo(3),
      userId: 'UALICE',
      channelId: 'CHR',
      promptTokens: 1000,
      completionTokens: 200,
      costUsd: 0.0003,
      latencyMs: 1200,
      votes: [{ userId: 'UALICE', vote: 1 }],
      citations: [{ title: 'Handbook', section: 'Leave', score: 0.9 }],
    });
    await createAnswer(db, a, {
      question: 'What is the travel budget?',
      answer: 'Economy class [1].',
      at: noonDaysAgo(1),
      userId: 'UBOB',
      channelId: 'CHR',
      promptTokens: 800,
      completionTokens: 100,
      costUsd: 0.0002,
      latencyMs: 800,
      votes: [{ userId: 'UBOB', vote: -1, reason: 'It is business class for long flights' }],
      gap: 'downvoted',
    });
    gapId =
      (await db.pool.query<{ id: string }>('SELECT id FROM lore.knowledge_gaps WHERE tenant_id = $1', [a]))
        .rows[0]?.id ?? '';
    await createAnswer(db, a, {
      question: 'Where is the <script>alert(1)</script> parking?',
      answer: "I couldn't find this.",
      outcome: 'no_sources',
      // An hour after the travel question: the newest of the three.
      at: new Date(noonDaysAgo(1).getTime() + 3_600_000),
      userId: 'UALICE',
      channelId: 'CENG',
      latencyMs: 300,
      gap: 'no_sources',
    });
    await createAnswer(db, b, {
      question: 'Secret question of tenant B',
      at: noonDaysAgo(1),
      promptTokens: 99999,
      channelId: 'CSECRET',
    });
  });
  afterAll(() => app.cleanup());

  it('reports questions, tokens, cost, latency and votes per day over the chosen period, for this tenant only', async () => {
    const from = iso(noonDaysAgo(6));
    const to = iso(noonDaysAgo(0));
    const { status, body } = await admin.json(`/api/usage?from=${from}&to=${to}`);
    expect(status).toBe(200);
    expect(body.days).toHaveLength(7);
    const byDay = Object.fromEntries(body.days.map((d: { day: string }) => [d.day, d]));
    expect(byDay[iso(noonDaysAgo(3))]).toMatchObject({
      questions: 1,
      answered: 1,
      promptTokens: 1000,
      completionTokens: 200,
      thumbsUp: 1,
      avgLatencyMs: 1200,
    });
    expect(byDay[iso(noonDaysAgo(1))]).toMatchObject({
      questions: 2,
      answered: 1,
      unanswered: 1,
      thumbsDown: 1,
      avgLatencyMs: 550,
    });
    expect(byDay[iso(noonDaysAgo(2))]).toMatchObject({ questions: 0, promptTokens: 0, avgLatencyMs: null });
    expect(body.totals).toMatchObject({
      questions: 3,
      answered: 2,
      tokens: 2100,
      thumbsUp: 1,
      thumbsDown: 1,
    });
    expect(body.totals.costUsd).toBeCloseTo(0.0005, 6);
    expect(body.byChannel).toEqual([
      { key: 'CHR', questions: 2, tokens: 2100, costUsd: 0.0005 },
      { key: 'CENG', questions: 1, tokens: 0, costUsd: 0 },
    ]);
    expect(body.byUser.map((u: { key: string }) => u.key).sort()).toEqual(['UALICE', 'UBOB']);
    expect(JSON.stringify(body)).not.toContain('CSECRET');
  });

  it('defaults to the last 30 days and refuses a reversed, malformed or over-long period', async () => {
    expect((await admin.json('/api/usage')).body.days).toHaveLength(30);
    expect((await admin.json('/api/usage?from=2026-02-10&to=2026-02-01')).status).toBe(400);
    expect((await admin.json('/api/usage?from=last-week')).status).toBe(400);
    expect((await admin.json('/api/usage?from=2020-01-01&to=2026-01-01')).status).toBe(400);
  });

  it('exports the same data as CSV: days, channels and users', async () => {
    const from = iso(noonDaysAgo(6));
    const to = iso(noonDaysAgo(0));
    const res = await admin.fetch(`/api/usage.csv?from=${from}&to=${to}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(`lore-usage-days-${from}-to-${to}.csv`);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'day,questions,answered,unanswered,prompt_tokens,completion_tokens,cost_usd,avg_latency_ms,p95_latency_ms,thumbs_up,thumbs_down',
    );
    expect(lines).toHaveLength(8);
    expect(lines).toContain(`${iso(noonDaysAgo(3))},1,1,0,1000,200,0.0003,1200,1200,1,0`);
    const channels = await (await admin.fetch(`/api/usage.csv?kind=channels&from=${from}&to=${to}`)).text();
    expect(channels.split('\r\n')[1]).toBe('CHR,2,2100,0.0005');
    expect((await admin.fetch('/api/usage.csv?kind=teams')).status).toBe(400);
  });

  it('returns the same JSON and CSV after the usage rollup job has rolled the complete days', async () => {
    const from = iso(noonDaysAgo(6));
    const to = iso(noonDaysAgo(0));
    const urls = [
      `/api/usage?from=${from}&to=${to}`,
      '/api/usage',
      `/api/usage.csv?from=${from}&to=${to}`,
      `/api/usage.csv?kind=channels&from=${from}&to=${to}`,
      `/api/usage.csv?kind=users&from=${from}&to=${to}`,
    ];
    const read = () => Promise.all(urls.map(async (u) => (await admin.fetch(u)).text()));
    const before = await read();
    const db = app.container.db;
    const tenantId = (await admin.json('/api/session')).body.workspace.tenantId;
    // Through the worker, as the schedule runs it.
    await enqueueJob(app.container.queue, usageRollupJob, { v: 1 });
    await vi.waitFor(async () => {
      const { rows } = await db.pool.query('SELECT rolled_through FROM lore.usage_rollup_state');
      expect(rows[0].rolled_through).not.toBeNull();
    });
    const rolled = await db.pool.query(
      'SELECT count(*)::int AS n FROM lore.usage_daily WHERE tenant_id = $1 AND questions > 0',
      [tenantId],
    );
    expect(rolled.rows[0].n).toBe(2);
    expect(await read()).toEqual(before);
  });

  it('lists conversations newest first with sources and votes, searchable, filterable, and scoped', async () => {
    const all = await admin.json('/api/conversations');
    expect(all.body.total).toBe(3);
    expect(all.body.items[0].question).toContain('parking');
    const vacation = await admin.json('/api/conversations?search=vacation');
    expect(vacation.body.items).toHaveLength(1);
    expect(vacation.body.items[0]).toMatchObject({
      answerText: 'You get 25 days [1].',
      thumbsUp: 1,
      sources: [{ position: 1, title: 'Handbook', section: 'Leave', score: 0.9 }],
    });
    const down = await admin.json('/api/conversations?feedback=down');
    expect(down.body.items.map((c: { question: string }) => c.question)).toEqual([
      'What is the travel budget?',
    ]);
    expect(down.body.items[0].feedbackReasons).toEqual(['It is business class for long flights']);
    expect((await admin.json('/api/conversations?outcome=no_sources')).body.total).toBe(1);
    expect((await admin.json('/api/conversations?outcome=maybe')).status).toBe(400);
    expect((await other.json('/api/conversations?search=vacation')).body.total).toBe(0);
  });

  it('keeps the gap inbox: unanswered and 👎 questions, resolved by a document, dismissed, or re-opened', async () => {
    const open = await admin.json('/api/gaps');
    expect(open.body.items.map((g: { reason: string }) => g.reason).sort()).toEqual([
      'downvoted',
      'no_sources',
    ]);
    expect(open.body.items.find((g: { reason: string }) => g.reason === 'downvoted').feedbackReason).toBe(
      'It is business class for long flights',
    );
    // Another tenant cannot touch it, whatever it sends.
    expect(
      (await other.json(`/api/gaps/${gapId}`, { method: 'PATCH', json: { status: 'dismissed' } })).status,
    ).toBe(404);
    expect(
      (await admin.json(`/api/gaps/${gapId}`, { method: 'PATCH', json: { status: 'closed' } })).status,
    ).toBe(400);
    const missingDoc = await admin.json(`/api/gaps/${gapId}`, {
      method: 'PATCH',
      json: { status: 'resolved', documentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(missingDoc.status).toBe(404);
    expect(
      (await admin.json(`/api/gaps/${gapId}`, { method: 'PATCH', json: { status: 'resolved' } })).status,
    ).toBe(204);
    expect((await admin.json('/api/gaps')).body.total).toBe(1);
    const resolved = await admin.json('/api/gaps?status=resolved');
    expect(resolved.body.items[0]).toMatchObject({ id: gapId, status: 'resolved' });
    expect(
      (await admin.json(`/api/gaps/${gapId}`, { method: 'PATCH', json: { status: 'open' } })).status,
    ).toBe(204);
    expect((await admin.json('/api/gaps')).body.total).toBe(2);
  });

  it('shows a question asked again as one gap with its count, and closes them together', async () => {
    const a = (await admin.json('/api/session')).body.workspace.tenantId;
    for (const q of ['Who approves parental leave?', 'who approves parental leave? ']) {
      await createAnswer(app.container.db, a, {
        question: q,
        outcome: 'no_sources',
        at: noonDaysAgo(0),
        gap: 'no_sources',
      });
    }
    const open = (await admin.json('/api/gaps')).body;
    const leave = open.items.filter((g: { question: string }) => /parental leave/i.test(g.question));
    expect(leave).toHaveLength(1);
    expect(leave[0].count).toBe(2);
    expect(open.total).toBe(3);
    expect(
      (await admin.json(`/api/gaps/${leave[0].id}`, { method: 'PATCH', json: { status: 'dismissed' } }))
        .status,
    ).toBe(204);
    const dismissed = (await admin.json('/api/gaps?status=dismissed')).body;
    expect(dismissed.items).toEqual([expect.objectContaining({ count: 2 })]);
    expect((await admin.json('/api/gaps')).body.total).toBe(2);
  });
});
