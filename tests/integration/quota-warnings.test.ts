import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { noticesFor } from '../../src/tenants/notices/notices.service.js';
import { createQuotaWatch } from '../../src/usage/quota-warnings.service.js';
import { type Browser, sessionFor } from '../support/dashboard.js';
import { createAnswer } from '../support/factories.js';
import { bodyOf } from '../support/http.js';
import { SLACK_ENV, slackFixture, startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspaceBy,
  mentionEvent,
  postEvent,
  rowsOf,
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';
import { type FakeSlack, fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const PUBLIC_URL = SLACK_ENV.PUBLIC_URL as string;
const PLAN_URL = `${PUBLIC_URL}/app/plans`;
const TRAVEL = '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead.';

/** Limit warnings the bot sent by DM (a user id as the channel; the installer's welcome DM left out). */
const dmsOf = (slack: FakeSlack) =>
  slack
    .of('chat.postMessage')
    .filter((m) => String(m.channel).startsWith('U') && String(m.text).includes('allowance resets'))
    .map((m) => ({ to: m.channel as string, text: m.text as string }));

describe('limit warnings: admins hear once per threshold per month, by DM, App Home and dashboard (real app over HTTP)', () => {
  let app: App;
  let w: Workspace;
  let admin: Browser;
  let slack: FakeSlack;

  let asked = 0;
  // Each question from another member: one person may ask only five a minute on this plan.
  const ask = async (question: string) => {
    asked += 1;
    const event = mentionEvent(w, question, { eventId: uniqueId('EvQuota'), user: `UASKER${asked}` });
    expect((await postEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(
      async () => {
        const rows = await rowsOf(app, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [
          event.event_id,
        ]);
        expect(rows[0]?.outcome ?? 'pending').not.toBe('pending');
      },
      { timeout: 20_000, interval: 50 },
    );
    return (
      await rowsOf(app, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [event.event_id])
    )[0].outcome as string;
  };

  // Slack and OpenAI, faked anew for each test (the test setup clears nock after each one).
  const fakes = () => {
    slack = fakeSlackWebApi({ admin: true });
    fakeOpenAi('Book flights at least 14 days ahead [1].');
  };

  beforeAll(async () => {
    app = await startSlackTestApp(ANSWER_ENV);
    fakes();
    w = await installWorkspaceBy(app, 'TQUOTA001', 'UINSTALLQ');
    await addReadyDocument(app, w.tenantId, 'travel.md', TRAVEL);
    // A workspace admin who signed in to the dashboard: the second person to hear.
    admin = await sessionFor(app.url, app.container.db, { tenantId: w.tenantId, userId: 'UADMINQ01' });
    // The operator gave this workspace five platform questions a month.
    await app.container.db.pool.query('UPDATE lore.tenants SET monthly_question_quota = 5 WHERE id = $1', [
      w.tenantId,
    ]);
  });
  afterAll(() => app.cleanup());

  it('at 80% and at 100% of the monthly questions the installer and the dashboard admin get one DM each, with the reset date and the plan page', async () => {
    fakes();
    for (let i = 1; i <= 3; i += 1) expect(await ask(`Question ${i} about flights?`)).toBe('answered');
    expect(dmsOf(slack)).toEqual([]);

    expect(await ask('Question 4 about flights?')).toBe('answered');
    await vi.waitFor(() => expect(dmsOf(slack)).toHaveLength(2), { timeout: 10_000, interval: 50 });
    const at80 = dmsOf(slack);
    expect(at80.map((d) => d.to).sort()).toEqual(['UADMINQ01', 'UINSTALLQ']);
    for (const dm of at80) {
      expect(dm.text).toContain('used 80% of its Lore questions for this month (4 of 5 questions)');
      expect(dm.text).toMatch(/resets on <!date\^\d+\^\{date_long\}\|1 \w+ \d{4} \(00:00 UTC\)>/);
      expect(dm.text).toContain(`<${PLAN_URL}|Compare plans>`);
    }

    expect(await ask('Question 5 about flights?')).toBe('answered');
    await vi.waitFor(() => expect(dmsOf(slack)).toHaveLength(4), { timeout: 10_000, interval: 50 });
    const at100 = dmsOf(slack).slice(2);
    expect(at100.map((d) => d.to).sort()).toEqual(['UADMINQ01', 'UINSTALLQ']);
    for (const dm of at100) {
      expect(dm.text).toContain('used all of its Lore questions for this month (5 of 5 questions)');
      expect(dm.text).toContain(`<${PLAN_URL}|Compare plans>`);
    }

    // Over the quota, the asker is refused with the reset time (as before), and nobody is told again.
    expect(await ask('Question 6 about flights?')).toBe('over_quota');
    // An integration asking with an API key gets HTTP's answer: 429, Retry-After until the 1st, the message.
    const { key } = await createApiKey(app.container.db, w.tenantId, {
      name: 'bot',
      actor: 'test',
      scopes: ['ask'],
    });
    const viaApi = await fetch(`${app.url}/api/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Question 7 about flights?' }),
    });
    expect(viaApi.status).toBe(429);
    const now = new Date();
    const untilFirst = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1) - now.getTime()) / 1000;
    expect(Math.abs(Number(viaApi.headers.get('retry-after')) - untilFirst)).toBeLessThan(30);
    const refused = await bodyOf(viaApi);
    expect(refused.error.code).toBe('limit_exceeded');
    expect(refused.error.message).toContain('This workspace has used its Lore allowance for this month.');
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsOf(slack)).toHaveLength(4);
    expect(
      await rowsOf(
        app,
        'SELECT quota, threshold FROM lore.quota_warnings WHERE tenant_id = $1 ORDER BY threshold',
        [w.tenantId],
      ),
    ).toEqual([
      { quota: 'questions', threshold: 80 },
      { quota: 'questions', threshold: 100 },
    ]);
  });

  it('the dashboard shows a dismissible banner for the highest threshold, and App Home shows it too', async () => {
    fakes();
    const { status, body } = await admin.json('/api/notices');
    expect(status).toBe(200);
    expect(body.notices).toEqual([
      expect.objectContaining({
        kind: 'quota',
        level: 'error',
        title: "This month's questions are used up",
        text: expect.stringMatching(/5 of 5 questions.*resets on 1 \w+ \d{4} \(00:00 UTC\)/),
        link: { href: PLAN_URL, label: 'Compare plans' },
        dismissible: true,
      }),
    ]);

    const p = structuredClone(slackFixture('events-app-home-opened').payload);
    p.team_id = w.teamId;
    p.authorizations[0].team_id = w.teamId;
    p.event_id = uniqueId('EvHome');
    p.event.user = 'UMEMBER01';
    expect((await postEvent(app.url, p)).status).toBe(200);
    await vi.waitFor(() => expect(slack.of('views.publish')).toHaveLength(1), { timeout: 10_000 });
    const home = JSON.stringify(slack.of('views.publish')[0].view.blocks);
    expect(home).toContain("This month's questions are used up");
    expect(home).toContain(`<${PLAN_URL}|Compare plans>`);
  });

  it('the plan page shows what each plan allows, side by side, and this workspace’s own quota', async () => {
    const { status, body } = await admin.json('/api/plans');
    expect(status).toBe(200);
    expect(body.currentPlanId).toBe('free');
    expect(body.current).toEqual({ monthlyTokenQuota: 500000, monthlyQuestionQuota: 5 });
    expect(body.plans.map((p: { id: string }) => p.id)).toEqual(['free', 'team', 'business']);
    expect(body.plans[1]).toEqual({
      id: 'team',
      name: 'Team',
      monthlyTokenQuota: 5000000,
      monthlyQuestionQuota: 3000,
      tenantRatePerMinute: 120,
      userRatePerMinute: 15,
      maxFileBytes: 52428800,
      maxDocuments: 1000,
      maxChunks: 100000,
    });
  });

  it('across a month boundary: November’s warning is November’s; December starts from zero and warns again, once', async () => {
    fakes();
    const m = await installWorkspaceBy(app, 'TQUOTA002', 'UINSTALLM');
    await app.container.db.pool.query('UPDATE lore.tenants SET monthly_question_quota = 10 WHERE id = $1', [
      m.tenantId,
    ]);
    let now = new Date('2026-11-30T23:59:00Z');
    const watch = createQuotaWatch({
      db: app.container.db,
      queue: app.container.queue,
      logger: createLogger({ level: 'silent' }),
      now: () => now,
    });
    const dmsToM = () => dmsOf(slack).filter((d) => d.to === 'UINSTALLM');
    for (let i = 0; i < 8; i += 1)
      await createAnswer(app.container.db, m.tenantId, {
        question: `nov ${i}`,
        at: new Date('2026-11-30T23:00:00Z'),
      });

    await watch(m.tenantId);
    await vi.waitFor(() => expect(dmsToM()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    expect(dmsToM()[0]?.text).toContain('(8 of 10 questions)');
    expect(dmsToM()[0]?.text).toContain('|1 December 2026 (00:00 UTC)>');

    // One minute into December: November's answers no longer count, and November's banner is gone.
    now = new Date('2026-12-01T00:01:00Z');
    await watch(m.tenantId);
    expect(await noticesFor(app.container.db, m.tenantId, { publicUrl: PUBLIC_URL, now })).toEqual([]);
    for (let i = 0; i < 8; i += 1)
      await createAnswer(app.container.db, m.tenantId, {
        question: `dec ${i}`,
        at: new Date('2026-12-01T00:30:00Z'),
      });
    now = new Date('2026-12-01T01:00:00Z');
    await watch(m.tenantId);
    await watch(m.tenantId);
    await vi.waitFor(() => expect(dmsToM()).toHaveLength(2), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 300));
    expect(dmsToM()).toHaveLength(2);
    expect(dmsToM()[1]?.text).toContain('|1 January 2027 (00:00 UTC)>');
    const notices = await noticesFor(app.container.db, m.tenantId, { publicUrl: PUBLIC_URL, now });
    expect(notices.map((n) => n.id)).toEqual(['quota-questions-80-2026-12-01']);
    expect(notices[0]?.text).toContain('resets on 1 January 2027 (00:00 UTC)');
    // Row-level security: the other workspace's warnings are invisible from this one.
    const seen = await withTenant(app.container.db, m.tenantId, (c) =>
      c.query('SELECT DISTINCT tenant_id FROM lore.quota_warnings'),
    );
    expect(seen.rows).toEqual([{ tenant_id: m.tenantId }]);
  });
});
