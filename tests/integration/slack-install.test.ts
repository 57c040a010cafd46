import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TokenColumn, tokenContext } from '../../src/tenants/installations/installation-record.js';
import {
  appMentionFor,
  finishInstall,
  nockAuthTest,
  nockOAuthAccess,
  nockPostMessage,
  postSlackEvent,
  SLACK_ENV,
  slackFixture,
  startInstall,
  startSlackTestApp,
} from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const success = slackFixture('oauth-v2-access-success');
const errors = slackFixture('oauth-v2-access-error');
const orgInstall = slackFixture('enterprise-org-install-examples');

/**
 * The documented success reply, moved to another workspace so tests do not share a tenant, with a bot token
 * of its own as Slack gives each workspace (Lore keeps Slack's per-method budgets per token).
 */
function installReply(teamId: string, name = `Team ${teamId}`) {
  const reply = structuredClone(success.primary.payload);
  reply.team = { id: teamId, name };
  reply.access_token = `${success.primary.payload.access_token}-${teamId}`;
  return reply;
}

describe('Add to Slack over HTTP (real app, Slack Web API faked from the official fixtures)', () => {
  let app: App;
  let posts: Array<Record<string, string>>;
  const mentions: Array<{ teamId?: string; enterpriseId?: string; tenantId?: string; botToken?: string }> =
    [];
  const db = () => app.container.db.pool;

  beforeAll(async () => {
    app = await startSlackTestApp();
    // Stands in for the answers listener: records who Bolt authorized the event as.
    app.container.slack.app.event('app_mention', async ({ context }) => {
      mentions.push({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        tenantId: context.tenantId as string,
        botToken: context.botToken,
      });
    });
  });
  afterAll(() => app.cleanup());

  const setUpSlack = () => {
    nockAuthTest();
    posts = nockPostMessage();
  };

  async function install(reply: object, code = 'code-1') {
    const started = await startInstall(app.url);
    const oauth = nockOAuthAccess(reply);
    const finished = await finishInstall(app.url, { code, state: started.state, cookie: started.cookie });
    return { started, finished, oauth };
  }

  it('installs a workspace from /slack/install to the success page, then authorizes its signed events', async () => {
    setUpSlack();
    const started = await startInstall(app.url);
    expect(started.status).toBe(200);
    expect(started.html).toMatch(/^<!doctype html>/);
    expect(started.html).toContain('Add to Slack');
    expect(started.cookie).toMatch(/^slack-app-oauth-state=.+/);
    expect(started.cookie).toBe(`slack-app-oauth-state=${started.state}`);
    expect(started.authorizeUrl.searchParams.get('client_id')).toBe(SLACK_ENV.SLACK_CLIENT_ID);
    expect(started.authorizeUrl.searchParams.get('scope')).toContain('app_mentions:read');
    expect(started.authorizeUrl.searchParams.get('redirect_uri')).toBe(
      'https://lore.example.test/slack/oauth_redirect',
    );

    const oauth = nockOAuthAccess(success.primary.payload);
    const finished = await finishInstall(app.url, {
      code: 'the-code',
      state: started.state,
      cookie: started.cookie,
    });
    expect(finished.status).toBe(200);
    expect(finished.html).toContain('Lore is installed');
    expect(finished.html).toContain('Slack Softball Team');
    expect(finished.html).toContain('href="https://lore.example.test/app"');
    expect(oauth.calls()).toBe(1);
    expect(oauth.bodies[0]).toContain('code=the-code');

    const tenants = await db().query(
      `SELECT t.id, t.plan_id, t.status, t.name, (SELECT count(*) FROM lore.tenant_settings s WHERE s.tenant_id = t.id)::int AS settings
       FROM lore.tenants t WHERE t.slack_team_id = 'T9TK3CUKW'`,
    );
    expect(tenants.rows).toEqual([
      { id: expect.any(String), plan_id: 'free', status: 'active', name: 'Slack Softball Team', settings: 1 },
    ]);
    const tenantId = tenants.rows[0].id as string;
    const audit = await db().query(
      'SELECT action, actor FROM lore.audit_log WHERE tenant_id = $1 ORDER BY id',
      [tenantId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['tenant.created', 'installation.stored']);
    expect(audit.rows[0].actor).toBe('slack:U1234');

    // The workspace starts with the sample document, made searchable by the ingest job.
    await vi.waitFor(
      async () => {
        const docs = await db().query(
          `SELECT title, status, source_kind FROM lore.documents WHERE tenant_id = $1`,
          [tenantId],
        );
        expect(docs.rows).toEqual([
          { title: 'Getting started with Lore', status: 'ready', source_kind: 'sample' },
        ]);
        // Reading starts a reader thread, which takes seconds on a busy machine.
      },
      { timeout: 30_000, interval: 50 },
    );

    // The installer gets one welcome DM with the dashboard link.
    await vi.waitFor(async () => {
      const t = await db().query('SELECT welcomed_at FROM lore.tenants WHERE id = $1', [tenantId]);
      expect(t.rows[0].welcomed_at).not.toBeNull();
    });
    expect(posts).toHaveLength(1);
    expect(posts[0]?.channel).toBe('U1234');
    expect(String(posts[0]?.text)).toContain('https://lore.example.test/app');

    const res = await postSlackEvent(
      app.url,
      appMentionFor({ teamId: 'T9TK3CUKW', enterpriseId: 'E12345678' }),
    );
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(mentions).toHaveLength(1));
    expect(mentions[0]).toEqual({
      teamId: 'T9TK3CUKW',
      enterpriseId: 'E12345678',
      tenantId,
      botToken: success.primary.payload.access_token,
    });
  });

  it('never writes a token into the database in plaintext', async () => {
    const { rows } = await db().query("SELECT * FROM lore.installations WHERE slack_team_id = 'T9TK3CUKW'");
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(success.primary.payload.access_token);
    expect(raw).not.toContain('xoxb-');
    expect(raw).not.toContain('xoxp-');
    expect(rows[0].bot_token_encrypted).toMatch(/^dev:[\w-]+:[\w-]+:[\w-]+:b$/);
    expect(rows[0].key_id).toBe('dev');
    const at = (column: TokenColumn) => tokenContext(rows[0].tenant_id, column);
    expect(app.container.cipher.decrypt(rows[0].bot_token_encrypted, at('bot_token_encrypted'))).toBe(
      success.primary.payload.access_token,
    );
    expect(app.container.cipher.decrypt(rows[0].user_token_encrypted, at('user_token_encrypted'))).toBe(
      'xoxp-1234',
    );
  });

  it('never writes a token, the client secret, the OAuth code or state into a log line, at debug level, through an install and an event', async () => {
    setUpSlack();
    const { started } = await install(installReply('TLOGS0001'), 'code-for-the-log-test');
    await postSlackEvent(app.url, appMentionFor({ teamId: 'TLOGS0001' }));
    await vi.waitFor(() => expect(mentions.some((m) => m.teamId === 'TLOGS0001')).toBe(true));
    const logs = app.logs.text();
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain('installation stored');
    expect(logs).not.toMatch(/xoxb-|xoxp-|xoxe/);
    expect(logs).not.toContain(SLACK_ENV.SLACK_CLIENT_SECRET);
    expect(logs).not.toContain('code-for-the-log-test');
    // The state binds the consent screen to this browser: whoever reads it from a log could finish the install.
    expect(started.state.length).toBeGreaterThan(10);
    expect(logs).not.toContain(started.state);
    expect(logs).toContain('state=[redacted]');
  });

  it('re-installing keeps the same tenant and its settings, adds history, and does not welcome again', async () => {
    setUpSlack();
    await install(installReply('TREINST01', 'Before'));
    const first = await db().query("SELECT id FROM lore.tenants WHERE slack_team_id = 'TREINST01'");
    const tenantId = first.rows[0].id as string;
    await vi.waitFor(async () => {
      const t = await db().query('SELECT welcomed_at FROM lore.tenants WHERE id = $1', [tenantId]);
      expect(t.rows[0].welcomed_at).not.toBeNull();
    });
    await db().query(
      "UPDATE lore.tenant_settings SET instructions = 'Answer in French' WHERE tenant_id = $1",
      [tenantId],
    );
    const postsAfterFirst = posts.length;

    const again = await install(installReply('TREINST01', 'After rename'), 'code-2');
    expect(again.finished.status).toBe(200);
    const tenants = await db().query(
      `SELECT t.id, t.name, s.instructions FROM lore.tenants t JOIN lore.tenant_settings s ON s.tenant_id = t.id
       WHERE t.slack_team_id = 'TREINST01'`,
    );
    expect(tenants.rows).toEqual([{ id: tenantId, name: 'After rename', instructions: 'Answer in French' }]);
    const history = await db().query(
      'SELECT count(*)::int AS n FROM lore.installations WHERE tenant_id = $1',
      [tenantId],
    );
    expect(history.rows[0].n).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts.length).toBe(postsAfterFirst);
  });

  it('installs an Enterprise Grid org once for the whole org, keyed by enterprise, and routes by authorizations[0]', async () => {
    setUpSlack();
    const reply = orgInstall.oauthV2AccessOrgInstall.payload;
    const { finished } = await install(reply);
    expect(finished.status).toBe(200);
    expect(finished.html).toContain('Jesse Slacksalot');
    expect(finished.html).toContain('every workspace in the org');
    const tenants = await db().query(
      "SELECT id, slack_team_id, slack_enterprise_id, is_enterprise_install FROM lore.tenants WHERE slack_enterprise_id = 'E123ABC456'",
    );
    expect(tenants.rows).toEqual([
      {
        id: expect.any(String),
        slack_team_id: null,
        slack_enterprise_id: 'E123ABC456',
        is_enterprise_install: true,
      },
    ]);

    // A workspace of the org (top-level team_id) that is not itself installed: authorizations[0] decides.
    const event = appMentionFor({ teamId: null, enterpriseId: 'E123ABC456', isEnterpriseInstall: true });
    event.team_id = 'T423567';
    expect((await postSlackEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(() => expect(mentions.some((m) => m.enterpriseId === 'E123ABC456')).toBe(true));
    const mention = mentions.find((m) => m.enterpriseId === 'E123ABC456');
    expect(mention).toMatchObject({ tenantId: tenants.rows[0].id, botToken: reply.access_token });
  });

  it('answers events from a workspace with no installation with 200 and a log line, and runs no listener', async () => {
    const before = mentions.length;
    const res = await postSlackEvent(app.url, appMentionFor({ teamId: 'TNOTHERE1' }));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(mentions.length).toBe(before);
    expect(app.logs.text()).toContain('request for a workspace with no installation');
  });

  it('rejects an unsigned or wrongly signed event with 401 and runs nothing', async () => {
    const before = mentions.length;
    const res = await postSlackEvent(
      app.url,
      appMentionFor({ teamId: 'T9TK3CUKW' }),
      'not-the-signing-secret',
    );
    expect(res.status).toBe(401);
    expect(mentions.length).toBe(before);
  });

  describe('refused installs show a failure page and store nothing', () => {
    const countInstalls = async () =>
      (await db().query('SELECT count(*)::int AS n FROM lore.installations')).rows[0].n as number;

    it('a replayed state (the same callback twice) is refused', async () => {
      setUpSlack();
      const { started, finished } = await install(installReply('TREPLAY01'));
      expect(finished.status).toBe(200);
      const before = await countInstalls();
      const oauth = nockOAuthAccess(installReply('TREPLAY01'));
      const replay = await finishInstall(app.url, {
        code: 'code-1',
        state: started.state,
        cookie: started.cookie,
      });
      expect(replay.status).toBe(400);
      expect(replay.html).toContain('The install did not finish');
      expect(replay.html).toContain('expired or was already used');
      expect(replay.html).toContain('href="/slack/install"');
      expect(oauth.calls()).toBe(0);
      expect(await countInstalls()).toBe(before);
    });

    it('a state from another browser (cookie missing or different) is refused, and stays usable by its own browser', async () => {
      setUpSlack();
      const mine = await startInstall(app.url);
      const other = await startInstall(app.url);
      const before = await countInstalls();
      const oauth = nockOAuthAccess(installReply('TCOOKIE01'));
      const foreign = await finishInstall(app.url, { code: 'c', state: mine.state, cookie: other.cookie });
      expect(foreign.status).toBe(400);
      expect(foreign.html).toContain('started in a different browser');
      const noCookie = await finishInstall(app.url, { code: 'c', state: mine.state });
      expect(noCookie.status).toBe(400);
      expect(oauth.calls()).toBe(0);
      expect(await countInstalls()).toBe(before);

      const own = await finishInstall(app.url, { code: 'c', state: mine.state, cookie: mine.cookie });
      expect(own.status).toBe(200);
      expect(oauth.calls()).toBe(1);
    });

    it('a forged state is refused even with a matching cookie', async () => {
      const before = await countInstalls();
      const forged = 'bm9wZQ.c2lnbmF0dXJl';
      const res = await finishInstall(app.url, {
        code: 'c',
        state: forged,
        cookie: `slack-app-oauth-state=${forged}`,
      });
      expect(res.status).toBe(400);
      expect(res.html).toContain('expired or was already used');
      expect(await countInstalls()).toBe(before);
    });

    it('an expired state (older than 10 minutes) is refused', async () => {
      const started = await startInstall(app.url);
      const before = await countInstalls();
      const oauth = nockOAuthAccess(installReply('TEXPIRE01'));
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 11 * 60_000);
        const res = await finishInstall(app.url, { code: 'c', state: started.state, cookie: started.cookie });
        expect(res.status).toBe(400);
        expect(res.html).toContain('expired or was already used');
      } finally {
        vi.useRealTimers();
      }
      expect(oauth.calls()).toBe(0);
      expect(await countInstalls()).toBe(before);
    });

    it('oauth.v2.access answering invalid_code gives a page about the code', async () => {
      const started = await startInstall(app.url);
      const before = await countInstalls();
      const oauth = nockOAuthAccess(errors.invalidCodeVariant.payload);
      const res = await finishInstall(app.url, {
        code: 'stale',
        state: started.state,
        cookie: started.cookie,
      });
      expect(oauth.calls()).toBe(1);
      expect(res.status).toBe(400);
      expect(res.html).toContain('did not accept the authorization code');
      expect(await countInstalls()).toBe(before);
    });

    it('a misconfigured app (invalid_client_id) tells the installer to ask the operator', async () => {
      const started = await startInstall(app.url);
      nockOAuthAccess(errors.primary.payload);
      const res = await finishInstall(app.url, { code: 'c', state: started.state, cookie: started.cookie });
      expect(res.status).toBe(502);
      expect(res.html).toContain('Ask the operator');
    });

    it('a network failure reaching Slack gives a try-again page', async () => {
      const started = await startInstall(app.url);
      const before = await countInstalls();
      nockOAuthAccess(new Error('socket hang up'));
      const res = await finishInstall(app.url, { code: 'c', state: started.state, cookie: started.cookie });
      expect(res.status).toBe(502);
      expect(res.html).toContain('could not reach Slack');
      expect(res.html).toContain('Try again');
      expect(await countInstalls()).toBe(before);
    });

    it('cancelling on Slack’s consent screen says so', async () => {
      const started = await startInstall(app.url);
      const res = await finishInstall(app.url, {
        error: 'access_denied',
        state: started.state,
        cookie: started.cookie,
      });
      expect(res.status).toBe(400);
      expect(res.html).toContain('cancelled');
    });

    it('a callback without a code asks to start again', async () => {
      const started = await startInstall(app.url);
      const res = await finishInstall(app.url, { state: started.state, cookie: started.cookie });
      expect(res.status).toBe(400);
      expect(res.html).toContain('Start the install again');
    });
  });
});
