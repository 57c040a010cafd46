import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCliOutput } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import {
  appMentionFor,
  finishInstall,
  nockAuthTest,
  nockOAuthAccess,
  nockPostMessage,
  postSlackEvent,
  slackFixture,
  startInstall,
  startSlackTestApp,
} from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const success = slackFixture('oauth-v2-access-success').primary.payload;
const BOT_USER = success.bot_user_id as string;
const nowSec = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function uninstalledEvent(teamId: string, eventTime: number) {
  const e = structuredClone(slackFixture('events-app-uninstalled').payload);
  e.team_id = teamId;
  e.authorizations[0].team_id = teamId;
  e.event_time = eventTime;
  e.event_id = `Ev${Math.random().toString(36).slice(2, 10)}`;
  return e;
}

function revokedEvent(teamId: string, eventTime: number, tokens: { bot?: string[]; oauth?: string[] }) {
  const e = structuredClone(slackFixture('events-tokens-revoked').payload);
  e.team_id = teamId;
  e.event.tokens = { bot: tokens.bot ?? [], oauth: tokens.oauth ?? [] };
  e.event_time = eventTime;
  e.event_id = `Ev${Math.random().toString(36).slice(2, 10)}`;
  return e;
}

describe('tenant lifecycle: uninstall, revoke, out-of-order events, suspend', () => {
  let app: App;
  const answered: string[] = [];
  const db = () => app.container.db.pool;

  beforeAll(async () => {
    app = await startSlackTestApp();
    app.container.slack.app.event('app_mention', async ({ body }) => void answered.push(body.event_id));
  });
  afterAll(() => app.cleanup());

  async function install(teamId: string): Promise<string> {
    nockAuthTest();
    nockPostMessage();
    const started = await startInstall(app.url);
    const reply = structuredClone(success);
    reply.team = { id: teamId, name: `Team ${teamId}` };
    nockOAuthAccess(reply);
    const done = await finishInstall(app.url, { code: 'c', state: started.state, cookie: started.cookie });
    expect(done.status).toBe(200);
    const { rows } = await db().query('SELECT id FROM lore.tenants WHERE slack_team_id = $1', [teamId]);
    return rows[0].id as string;
  }

  /** Sends an app_mention and says whether a listener ran for it. */
  async function isAnswered(teamId: string): Promise<boolean> {
    const event = appMentionFor({ teamId });
    const res = await postSlackEvent(app.url, event);
    expect(res.status).toBe(200);
    await sleep(150);
    return answered.includes(event.event_id);
  }

  const state = async (tenantId: string) => {
    const t = await db().query('SELECT status, deactivated_at FROM lore.tenants WHERE id = $1', [tenantId]);
    const i = await db().query(
      `SELECT bot_token_encrypted IS NOT NULL AS bot, user_token_encrypted IS NOT NULL AS "user", uninstalled_at IS NOT NULL AS uninstalled
       FROM lore.installations WHERE tenant_id = $1 ORDER BY installed_at`,
      [tenantId],
    );
    return { status: t.rows[0]?.status, deactivatedAt: t.rows[0]?.deactivated_at, rows: i.rows };
  };
  const actions = async (tenantId: string) =>
    (
      await db().query('SELECT action FROM lore.audit_log WHERE tenant_id = $1 ORDER BY id', [tenantId])
    ).rows.map((r) => r.action);

  it('app_uninstalled deletes the tokens, deactivates the tenant, audits, and drops the cached installation', async () => {
    const tenantId = await install('TUNINST01');
    expect(await isAnswered('TUNINST01')).toBe(true); // the installation is now cached in this process

    const res = await postSlackEvent(app.url, uninstalledEvent('TUNINST01', nowSec()));
    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect((await state(tenantId)).status).toBe('inactive'));
    const after = await state(tenantId);
    expect(after.deactivatedAt).not.toBeNull();
    expect(after.rows).toEqual([{ bot: false, user: false, uninstalled: true }]);
    expect(await actions(tenantId)).toEqual(
      expect.arrayContaining(['app.uninstalled', 'tenant.deactivated']),
    );
    // Served from the cache it would still be answered; the uninstall dropped it.
    expect(await isAnswered('TUNINST01')).toBe(false);
  });

  it('re-installing an uninstalled workspace re-activates the same tenant without a second welcome', async () => {
    const tenantId = await install('TBACK0001');
    await vi.waitFor(async () => {
      const t = await db().query('SELECT welcomed_at FROM lore.tenants WHERE id = $1', [tenantId]);
      expect(t.rows[0].welcomed_at).not.toBeNull();
    });
    await postSlackEvent(app.url, uninstalledEvent('TBACK0001', nowSec()));
    await vi.waitFor(async () => expect((await state(tenantId)).status).toBe('inactive'));

    const posts = nockPostMessage();
    expect(await install('TBACK0001')).toBe(tenantId);
    const after = await state(tenantId);
    expect(after.status).toBe('active');
    expect(after.deactivatedAt).toBeNull();
    expect(await actions(tenantId)).toContain('tenant.reactivated');
    expect(await isAnswered('TBACK0001')).toBe(true);
    await sleep(200);
    expect(posts).toHaveLength(0);
  });

  it('tokens_revoked for the user token keeps the tenant; for the bot token it deactivates it', async () => {
    const tenantId = await install('TREVOKE01');
    await postSlackEvent(app.url, revokedEvent('TREVOKE01', nowSec(), { oauth: ['U1234'] }));
    await vi.waitFor(async () =>
      expect((await state(tenantId)).rows).toEqual([{ bot: true, user: false, uninstalled: false }]),
    );
    expect((await state(tenantId)).status).toBe('active');
    expect(await isAnswered('TREVOKE01')).toBe(true);

    await postSlackEvent(app.url, revokedEvent('TREVOKE01', nowSec(), { bot: [BOT_USER] }));
    await vi.waitFor(async () => expect((await state(tenantId)).status).toBe('inactive'));
    expect((await state(tenantId)).rows).toEqual([{ bot: false, user: false, uninstalled: false }]);
    expect(await actions(tenantId)).toEqual(expect.arrayContaining(['tokens.revoked', 'tenant.deactivated']));
    expect(await isAnswered('TREVOKE01')).toBe(false);
  });

  it('an uninstall older than the latest install changes nothing', async () => {
    const tenantId = await install('TLATE0001');
    const before = await actions(tenantId);
    const res = await postSlackEvent(app.url, uninstalledEvent('TLATE0001', nowSec() - 120));
    expect(res.status).toBe(200);
    await vi.waitFor(() =>
      expect(app.logs.text()).toContain('ignored an event older than the latest install'),
    );
    expect(await state(tenantId)).toMatchObject({
      status: 'active',
      rows: [{ bot: true, user: true, uninstalled: false }],
    });
    expect(await actions(tenantId)).toEqual(before);
    expect(await isAnswered('TLATE0001')).toBe(true);
  });

  it('uninstall, re-install, then a late tokens_revoked from before the re-install: the re-install stands', async () => {
    const tenantId = await install('TORDER001');
    const uninstalledAt = nowSec();
    await postSlackEvent(app.url, uninstalledEvent('TORDER001', uninstalledAt));
    await vi.waitFor(async () => expect((await state(tenantId)).status).toBe('inactive'));
    await sleep(1100); // the re-install must fall in a later second than the events it outlives
    await install('TORDER001');
    await postSlackEvent(
      app.url,
      revokedEvent('TORDER001', uninstalledAt, { bot: [BOT_USER], oauth: ['U1234'] }),
    );
    await sleep(300);
    const after = await state(tenantId);
    expect(after.status).toBe('active');
    expect(after.rows.at(-1)).toEqual({ bot: true, user: true, uninstalled: false });
    expect(await isAnswered('TORDER001')).toBe(true);
  });

  it('an uninstall or revoke for a workspace Lore never saw is acknowledged and ignored', async () => {
    expect((await postSlackEvent(app.url, uninstalledEvent('TNEVER001', nowSec()))).status).toBe(200);
    expect((await postSlackEvent(app.url, revokedEvent('TNEVER001', nowSec(), { bot: ['U1'] }))).status).toBe(
      200,
    );
    await vi.waitFor(() =>
      expect(app.logs.text()).toContain('lifecycle event for a workspace with no tenant'),
    );
  });

  it('a tokens_revoked without authorizations for an org-wide install is routed by its enterprise id', async () => {
    nockAuthTest();
    nockPostMessage();
    const org = slackFixture('enterprise-org-install-examples').oauthV2AccessOrgInstall.payload;
    const started = await startInstall(app.url);
    nockOAuthAccess(org);
    expect(
      (await finishInstall(app.url, { code: 'c', state: started.state, cookie: started.cookie })).status,
    ).toBe(200);
    const { rows } = await db().query(
      "SELECT id FROM lore.tenants WHERE slack_enterprise_id = 'E123ABC456' AND is_enterprise_install",
    );
    const tenantId = rows[0].id as string;

    // Envelope as in Slack's Grid examples: a workspace's team_id plus the org's enterprise_id at the top level.
    const event = revokedEvent('T111AAA111', nowSec(), { bot: [org.bot_user_id] });
    event.enterprise_id = 'E123ABC456';
    expect((await postSlackEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(async () => expect((await state(tenantId)).status).toBe('inactive'));
    expect((await state(tenantId)).rows).toEqual([{ bot: false, user: true, uninstalled: false }]);
  });

  describe('operator suspend and resume (CLI)', () => {
    const cli = async (...argv: string[]) => {
      const out = createCliOutput();
      const exitCode = await runCli(
        argv,
        { ...app.container, where: 'local', actor: 'cli:ops', cwd: process.cwd() },
        out,
      );
      return { exitCode, text: out.text() };
    };

    it('a suspended tenant gets no answers until it is resumed; both are audited', async () => {
      const tenantId = await install('TSUSP0001');
      expect(await isAnswered('TSUSP0001')).toBe(true);

      const suspended = await cli('tenants', 'suspend', 'TSUSP0001');
      expect(suspended).toEqual({
        exitCode: 0,
        text: expect.stringMatching(/^Suspended "Team TSUSP0001" \(TSUSP0001\)/),
      });
      expect(await isAnswered('TSUSP0001')).toBe(false);
      expect(app.logs.text()).toContain('tenant is not active: request dropped without an answer');
      expect((await cli('tenants', 'suspend', 'TSUSP0001')).text).toContain('already suspended');

      const resumed = await cli('tenants', 'resume', 'TSUSP0001');
      expect(resumed).toEqual({ exitCode: 0, text: expect.stringMatching(/^Resumed "Team TSUSP0001"/) });
      expect(await isAnswered('TSUSP0001')).toBe(true);
      expect((await cli('tenants', 'resume', 'TSUSP0001')).text).toContain('not suspended: nothing changed');

      const audit = await db().query(
        "SELECT action, actor FROM lore.audit_log WHERE tenant_id = $1 AND action LIKE 'tenant.%' ORDER BY id",
        [tenantId],
      );
      expect(audit.rows.slice(-2)).toEqual([
        { action: 'tenant.suspended', actor: 'cli:ops' },
        { action: 'tenant.resumed', actor: 'cli:ops' },
      ]);
    });

    it('an unknown id is an error that says what to do', async () => {
      const res = await cli('tenants', 'suspend', 'TNOPE0001');
      expect(res.exitCode).toBe(1);
      expect(res.text).toContain('No tenant has the Slack id "TNOPE0001"');
    });
  });
});
