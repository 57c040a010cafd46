import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { type Browser, sessionFor } from '../support/dashboard.js';
import {
  finishInstall,
  nockAuthTest,
  nockOAuthAccess,
  SLACK_API,
  slackFixture,
  startInstall,
  startSlackTestApp,
} from '../support/slack.js';
import {
  ANSWER_ENV,
  fakeOpenAi,
  installWorkspace,
  installWorkspaceBy,
  mentionEvent,
  postEvent,
  rowsOf,
  uniqueId,
  type Workspace,
} from '../support/slack-answers.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const REFUSALS = ['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed'] as const;
const oauth = slackFixture('oauth-v2-access-success').primary.payload;

/** Slack refusing every call made with this workspace's token, as it does once the token is dead. */
/** Refuses every Web API call with the workspace's token; records each call's method and body. */
function slackRefuses(w: Workspace, error: string): { calls: string[]; bodies: string[] } {
  const calls: string[] = [];
  const bodies: string[] = [];
  nock(SLACK_API, { reqheaders: { authorization: `Bearer xoxb-test-${w.teamId}` } })
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply((uri, body) => {
      calls.push(uri.slice(uri.lastIndexOf('/') + 1));
      bodies.push(typeof body === 'string' ? body : JSON.stringify(body));
      return [200, { ok: false, error }];
    });
  return { calls, bodies };
}

/** Matches the answer job of one event (its id is `answer-<event id>-<unique suffix>`, one per add). */
const isAnswerTo = (eventId: string) => (job: { id: string }) => job.id.startsWith(`answer-${eventId}-`);

const metricValue = async (app: App, name: string) => {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

describe('broken Slack tokens: detected on any Slack call, reported, no retries, cleared by a reinstall (real app over HTTP)', () => {
  let app: App;
  let operator: Browser;
  const workspaces = new Map<string, Workspace>();

  beforeAll(async () => {
    app = await startSlackTestApp({ ...ANSWER_ENV, PLATFORM_ADMINS: 'UOPERATOR1' });
    operator = await sessionFor(app.url, app.container.db, {
      tenantId: null,
      userId: 'UOPERATOR1',
      isPlatformAdmin: true,
    });
    // The last one is the workspace of Slack's OAuth example, so the reinstall below is the same workspace.
    const teams = ['TBROKEN01', 'TBROKEN02', 'TBROKEN03', oauth.team.id];
    for (const [i, error] of REFUSALS.entries()) {
      workspaces.set(error, await installWorkspaceBy(app, teams[i] as string, `UINSTALL0${i}`));
    }
  });
  afterAll(() => app.cleanup());

  it('an answer job whose Slack calls are refused (each of the four errors) marks the workspace broken and fails at once, without retries', async () => {
    fakeOpenAi('unused');
    const events = new Map<string, string>();
    const slack = new Map<string, { calls: string[]; bodies: string[] }>();
    expect(await metricValue(app, 'lore_broken_installations')).toBe(0);
    for (const error of REFUSALS) {
      const w = workspaces.get(error) as Workspace;
      slack.set(error, slackRefuses(w, error));
      const event = mentionEvent(w, 'Where is the travel policy?', { eventId: uniqueId('EvBroken') });
      events.set(error, event.event_id);
      expect((await postEvent(app.url, event)).status).toBe(200);
    }

    await vi.waitFor(
      async () => {
        const failed = await app.container.queue.failed();
        for (const eventId of events.values()) expect(failed.find(isAnswerTo(eventId))).toBeDefined();
      },
      { timeout: 20_000, interval: 100 },
    );
    const failed = await app.container.queue.failed();
    for (const eventId of events.values()) {
      // One try only: a retry would only be refused again.
      expect(failed.find(isAnswerTo(eventId))?.attempts).toBe(1);
    }
    const marks = await rowsOf(
      app,
      `SELECT t.slack_team_id AS team, b.error_code AS code FROM lore.broken_installations b
       JOIN lore.tenants t ON t.id = b.tenant_id ORDER BY t.slack_team_id`,
    );
    expect(marks).toEqual(
      REFUSALS.map((code) => ({ team: workspaces.get(code)?.teamId, code })).sort((a, b) =>
        String(a.team).localeCompare(String(b.team)),
      ),
    );
    // Audited once per workspace, with Slack's error and never the token.
    const audit = await rowsOf(
      app,
      `SELECT details FROM lore.audit_log WHERE action = 'installation.broken' AND tenant_id = $1`,
      [workspaces.get('token_revoked')?.tenantId],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].details.errorCode).toBe('token_revoked');
    expect(JSON.stringify(audit)).not.toContain('xoxb-');
    expect(app.logs.text()).not.toContain('xoxb-test-');
    expect(await metricValue(app, 'lore_broken_installations')).toBe(4);

    // A later job for a broken workspace does not call Slack at all, and is not retried either.
    const w = workspaces.get('invalid_auth') as Workspace;
    const again = mentionEvent(w, 'Anyone there?', { eventId: uniqueId('EvAgain') });
    await postEvent(app.url, again);
    await vi.waitFor(
      async () => {
        const job = (await app.container.queue.failed()).find(isAnswerTo(again.event_id));
        expect(job).toMatchObject({ attempts: 1, error: expect.stringContaining('reinstalled') });
      },
      { timeout: 10_000, interval: 50 },
    );
    // Told apart by its thread (every reply carries the thread's ts): a call the first job started can still
    // reach Slack after that job failed, so counting calls raced (CI), and which calls a refused job gets to
    // make first varies with timing.
    const sent = slack.get('invalid_auth')?.bodies ?? [];
    expect(sent.filter((b) => b.includes(again.event.ts))).toEqual([]);
  });

  it('the operator view lists the broken workspaces; its admins see a reinstall banner, other workspaces none', async () => {
    const list = await operator.json('/api/platform/broken-installations');
    expect(list.status).toBe(200);
    expect(list.body.count).toBe(4);
    expect(list.body.items.map((i: { errorCode: string }) => i.errorCode).sort()).toEqual(
      [...REFUSALS].sort(),
    );
    // The installer: a broken token cannot ask Slack who else administers the workspace.
    const w = workspaces.get('account_inactive') as Workspace;
    const admin = await sessionFor(app.url, app.container.db, { tenantId: w.tenantId, userId: 'UINSTALL01' });
    expect((await admin.json('/api/platform/broken-installations')).status).toBe(403);
    const notices = await admin.json('/api/notices');
    expect(notices.status).toBe(200);
    expect(notices.body.notices).toEqual([
      expect.objectContaining({
        kind: 'broken_installation',
        level: 'error',
        text: expect.stringContaining('account_inactive'),
        link: { href: 'https://lore.example.test/slack/install', label: 'Reinstall Lore' },
        dismissible: false,
      }),
    ]);
    const healthy = await installWorkspaceBy(app, 'THEALTHY1', 'UHEALTHY1');
    const other = await sessionFor(app.url, app.container.db, {
      tenantId: healthy.tenantId,
      userId: 'UHEALTHY1',
    });
    expect((await other.json('/api/notices')).body).toEqual({ notices: [] });
    // Row-level security: as the healthy workspace, no other workspace's mark is visible at all.
    const seen = await withTenant(app.container.db, healthy.tenantId, (c) =>
      c.query('SELECT tenant_id FROM lore.broken_installations'),
    );
    expect(seen.rows).toEqual([]);
  });

  it('reinstalling through OAuth clears the broken state: banner gone, count down, Slack called again', async () => {
    const w = workspaces.get('not_authed') as Workspace;
    nock.cleanAll();
    nockAuthTest();
    nock(SLACK_API).persist().post('/api/chat.postMessage').reply(200, { ok: true, ts: '1.2' });
    const started = await startInstall(app.url);
    nockOAuthAccess(oauth);
    const finished = await finishInstall(app.url, {
      code: 'code-1',
      state: started.state,
      cookie: started.cookie,
    });
    expect(finished.status).toBe(200);

    expect(
      await rowsOf(app, 'SELECT 1 FROM lore.broken_installations WHERE tenant_id = $1', [w.tenantId]),
    ).toEqual([]);
    expect(await metricValue(app, 'lore_broken_installations')).toBe(3);
    const admin = await sessionFor(app.url, app.container.db, {
      tenantId: w.tenantId,
      userId: oauth.authed_user.id,
    });
    expect((await admin.json('/api/notices')).body).toEqual({ notices: [] });
    // The jobs' client works again with the new token.
    const client = await app.container.slack.clients.getClient(w.tenantId);
    expect((await client.chat.postMessage({ channel: 'C1', text: 'back' })).ok).toBe(true);
  });

  it("Bolt's own client is watched too: App Home refused with invalid_auth marks that workspace broken", async () => {
    // No installer, so no welcome DM: every call here is made by Bolt's client for the event.
    const w = await installWorkspace(app, 'THOMEBRK1');
    const slack = slackRefuses(w, 'invalid_auth');
    const p = structuredClone(slackFixture('events-app-home-opened').payload);
    p.team_id = w.teamId;
    p.authorizations[0].team_id = w.teamId;
    p.event_id = uniqueId('EvHome');
    expect((await postEvent(app.url, p)).status).toBe(200);
    await vi.waitFor(
      async () =>
        expect(
          await rowsOf(app, 'SELECT error_code FROM lore.broken_installations WHERE tenant_id = $1', [
            w.tenantId,
          ]),
        ).toEqual([{ error_code: 'invalid_auth' }]),
      { timeout: 10_000, interval: 50 },
    );
    expect(slack.calls.length).toBeGreaterThan(0);
    expect(slack.calls.every((m) => m === 'users.info' || m === 'views.publish')).toBe(true);
    expect(await metricValue(app, 'lore_broken_installations')).toBe(4);
  });

  it('a refusal of the token a reinstall has just replaced (a call still in flight) does not mark the new install', async () => {
    const w = await installWorkspaceBy(app, 'TSTALE001', 'USTALE01');
    const oldClient = await app.container.slack.clients.getClient(w.tenantId);
    const record = await app.container.tenants.installations.findByTenant(w.tenantId);
    if (!record?.bot) throw new Error('not installed');
    await app.container.tenants.installations.store({
      ...record,
      bot: { ...record.bot, token: 'xoxb-new-TSTALE001' },
    });
    slackRefuses(w, 'token_revoked');
    await expect(oldClient.chat.postMessage({ channel: 'C1', text: 'late' })).rejects.toThrow(
      /token_revoked/,
    );
    expect(
      await rowsOf(app, 'SELECT 1 FROM lore.broken_installations WHERE tenant_id = $1', [w.tenantId]),
    ).toEqual([]);
  });
});
