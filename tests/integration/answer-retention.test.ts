import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerRetentionJob, applyRetention } from '../../src/ai/answer-retention.job.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('retention of questions and answers, and the audit log as CSV', () => {
  let app: TestApp;
  let admin: Browser;
  let other: Browser;
  let tenantId: string;
  let otherTenantId: string;

  const q = async (sql: string, params: unknown[] = []) =>
    (await app.container.db.pool.query(sql, params)).rows;
  const askAs = async (b: Browser, question: string): Promise<string> => {
    const res = await b.json('/api/ask', { method: 'POST', json: { question } });
    expect(res.status).toBe(200);
    return res.body.answerId;
  };
  /** What the clock does: the answer (and its conversation) were made `days` days ago. */
  const age = (answerId: string, days: number) =>
    q(
      `WITH a AS (UPDATE lore.answers SET created_at = now() - make_interval(days => $2) WHERE id = $1 RETURNING conversation_id)
       UPDATE lore.conversations SET created_at = now() - make_interval(days => $2) WHERE id IN (SELECT conversation_id FROM a)`,
      [answerId, days],
    );
  const answersOf = async (tenant: string) =>
    (await q('SELECT id FROM lore.answers WHERE tenant_id = $1', [tenant])).map((r) => r.id);

  beforeAll(async () => {
    app = await startTestApp();
    admin = await devSignIn(app.url);
    tenantId = (await admin.json('/api/session')).body.workspace.tenantId;
    otherTenantId = (
      await createTenant(app.container.db, { slackTeamId: 'TRETAIN01', name: 'Keeps everything' })
    ).id;
    other = await sessionFor(app.url, app.container.db, { tenantId: otherTenantId, userId: 'UOTHER' });
  });
  afterAll(() => app.cleanup());

  it('stores the retention setting, refusing anything but keep, 30, 90 or 365 days', async () => {
    expect((await admin.json('/api/settings')).body.retentionDays).toBeNull();
    const bad = await admin.json('/api/settings', { method: 'PATCH', json: { retentionDays: 45 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('30, 90 or 365');
    const ok = await admin.json('/api/settings', { method: 'PATCH', json: { retentionDays: 30 } });
    expect(ok.status).toBe(200);
    expect(ok.body.retentionDays).toBe(30);
  });

  it('the daily job deletes older questions and answers of that workspace only, and keeps metered usage', async () => {
    const old1 = await askAs(admin, 'How do I add Lore to a channel?');
    const old2 = await askAs(admin, 'What is the wifi password in Berlin?');
    const fresh = await askAs(admin, 'Who can open the dashboard?');
    const othersOld = await askAs(other, 'What is the wifi password in Berlin?');
    await age(old1, 40);
    await age(old2, 31);
    await age(fresh, 29);
    await age(othersOld, 400);
    const usageBefore = await q('SELECT count(*)::int AS n FROM lore.usage_events WHERE tenant_id = $1', [
      tenantId,
    ]);

    await app.container.queue.enqueue(answerRetentionJob.name, { v: 1 });
    for (let i = 0; i < 200 && (await answersOf(tenantId)).includes(old1); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const left = await answersOf(tenantId);
    expect(left).toContain(fresh);
    expect(left).not.toContain(old1);
    expect(left).not.toContain(old2);
    // Their threads and knowledge gaps went with them; the other workspace keeps everything.
    expect(
      await q('SELECT 1 FROM lore.knowledge_gaps WHERE answer_id = ANY($1::uuid[])', [[old1, old2]]),
    ).toEqual([]);
    expect(await answersOf(otherTenantId)).toEqual([othersOld]);
    expect(
      await q('SELECT count(*)::int AS n FROM lore.usage_events WHERE tenant_id = $1', [tenantId]),
    ).toEqual(usageBefore);
    const conversations = (await admin.json('/api/conversations')).body;
    expect(JSON.stringify(conversations)).not.toContain('How do I add Lore to a channel?');
    expect(JSON.stringify(conversations)).toContain('Who can open the dashboard?');
    const audit = await q(
      "SELECT actor, details FROM lore.audit_log WHERE tenant_id = $1 AND action = 'retention.deleted'",
      [tenantId],
    );
    expect(audit).toEqual([
      { actor: 'system:retention', details: { days: 30, answers: 2, conversations: 2 } },
    ]);
  });

  it('deletes in bounded batches and says when rows are left for another run', async () => {
    const ids = [
      await askAs(admin, 'first old question about travel'),
      await askAs(admin, 'second old question about travel'),
      await askAs(admin, 'third old question about travel'),
    ];
    for (const id of ids) await age(id, 60);
    const deps = {
      db: app.container.db,
      logger: createLogger({ level: 'silent' }),
      queue: app.container.queue,
    };
    const first = await applyRetention({ ...deps, batch: 1, maxBatches: 2 }, tenantId, 30);
    expect(first).toMatchObject({ answers: 2, more: true });
    expect((await answersOf(tenantId)).filter((id) => ids.includes(id))).toHaveLength(1);
    const second = await applyRetention({ ...deps, batch: 1, maxBatches: 10 }, tenantId, 30);
    expect(second).toMatchObject({ answers: 1, more: false });
    expect((await answersOf(tenantId)).filter((id) => ids.includes(id))).toEqual([]);
  });

  it('exports the audit log as CSV, with the same filters, for the dashboard only', async () => {
    const res = await admin.fetch('/api/audit.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="lore-audit-\d{4}-\d\d-\d\d\.csv"/,
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,actor,action,target,details');
    expect(lines.some((l) => l.includes(',settings.updated,'))).toBe(true);
    expect(lines.some((l) => l.includes('system:retention,retention.deleted,'))).toBe(true);
    expect(Number(res.headers.get('x-total-count'))).toBe(lines.length - 1);

    const filtered = (await (await admin.fetch('/api/audit.csv?action=retention.')).text())
      .trimEnd()
      .split('\r\n');
    expect(filtered.length).toBeGreaterThan(1);
    expect(filtered.slice(1).every((l) => l.includes(',retention.deleted,'))).toBe(true);
    expect((await admin.fetch('/api/audit.csv?from=yesterday')).status).toBe(400);
    // Another workspace's export holds none of this one's entries.
    expect(await (await other.fetch('/api/audit.csv')).text()).not.toContain('retention.deleted');
    const { key } = await createApiKey(app.container.db, tenantId, {
      name: 'k',
      actor: 'test',
      scopes: ['ask'],
    });
    expect(
      (await fetch(`${app.url}/api/audit.csv`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(403);
  });
});
