import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewInstallation } from '../../src/tenants/installations/installation.types.js';
import { browserWith, cookieFrom } from '../support/dashboard.js';
import { bodyOf } from '../support/http.js';
import { idToken } from '../support/sign-in-with-slack.js';
import { SLACK_API, SLACK_ENV, slackFixture, startSlackTestApp } from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const oidc = slackFixture('openid-connect');
const usersInfo = slackFixture('users-info-response').payload;
const CLIENT_ID = SLACK_ENV.SLACK_CLIENT_ID ?? '';

function install(
  teamId: string,
  installer: string,
  opts: { enterpriseId?: string; org?: boolean } = {},
): NewInstallation {
  return {
    teamId: opts.org ? null : teamId,
    teamName: opts.org ? null : `Team ${teamId}`,
    enterpriseId: opts.enterpriseId ?? null,
    enterpriseName: opts.enterpriseId ? `Org ${opts.enterpriseId}` : null,
    enterpriseUrl: null,
    isEnterpriseInstall: Boolean(opts.org),
    appId: 'A0KRD7HC3',
    tokenType: 'bot',
    authVersion: 'v2',
    metadata: null,
    incomingWebhook: null,
    bot: {
      id: 'B1',
      userId: 'UBOT',
      scopes: ['chat:write'],
      token: `xoxb-${teamId}-${opts.org ? 'org' : 'team'}`,
    },
    user: { id: installer, scopes: [], tokens: null },
  };
}

describe('Sign in with Slack (OpenID Connect over HTTP; Slack faked with nock from the documented payloads)', () => {
  let app: App;

  /** The whole browser round trip: /auth/slack/login → Slack → /auth/slack/callback. */
  async function signIn(who: {
    userId: string;
    teamId: string;
    enterpriseId?: string;
    nonce?: string;
    aud?: string;
  }) {
    const start = await fetch(`${app.url}/auth/slack/login`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location') ?? 'https://invalid.test');
    const binding = cookieFrom(start, 'lore_signin') ?? '';
    const state = authorize.searchParams.get('state') ?? '';
    const nonce = authorize.searchParams.get('nonce') ?? '';
    const tokenBodies: string[] = [];
    nock(SLACK_API)
      .post('/api/openid.connect.token', (b) => {
        tokenBodies.push(new URLSearchParams(b).toString());
        return true;
      })
      .reply(200, {
        ...oidc.token.payload,
        id_token: idToken({
          nonce: who.nonce ?? nonce,
          aud: who.aud ?? CLIENT_ID,
          exp: Math.floor(Date.now() / 1000) + 300,
          sub: who.userId,
          'https://slack.com/user_id': who.userId,
          'https://slack.com/team_id': who.teamId,
          ...(who.enterpriseId ? { 'https://slack.com/enterprise_id': who.enterpriseId } : {}),
        }),
      });
    nock(SLACK_API)
      .post('/api/openid.connect.userInfo')
      .reply(200, {
        ...oidc.userInfo.payload,
        name: `Name of ${who.userId}`,
        'https://slack.com/team_name': 'Acme',
      });
    const back = await fetch(`${app.url}/auth/slack/callback?code=code-1&state=${state}`, {
      headers: { cookie: binding },
      redirect: 'manual',
    });
    return {
      start,
      authorize,
      state,
      binding,
      back,
      tokenBodies,
      location: back.headers.get('location') ?? '',
    };
  }

  const usersInfoSays = (role: { is_admin?: boolean; is_owner?: boolean }) =>
    nock(SLACK_API)
      .post('/api/users.info')
      .reply(200, { ...usersInfo, user: { ...usersInfo.user, is_admin: false, is_owner: false, ...role } });

  beforeAll(async () => {
    app = await startSlackTestApp({ PLATFORM_ADMINS: 'UOPERATOR1' });
    const { installations } = app.container.tenants;
    // The installs queue welcome DMs that run in the background: answer them from the start, so no job
    // sits in Slack's retry policy when the app shuts down.
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, slackFixture('chat-postMessage-response').success.payload)
      .persist();
    await installations.store(install('TSIGN0001', 'UINSTALLER'));
    await installations.store(install('TGRID0001', 'UOTHER', { enterpriseId: 'EGRID0001' }));
    await installations.store(install('TGRID0002', 'UOTHER', { enterpriseId: 'EGRID0001', org: true }));
  });
  afterAll(() => app.cleanup());
  beforeEach(() => {
    // Welcome DMs and anything else the installs queued: answered, not asserted here.
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, slackFixture('chat-postMessage-response').success.payload)
      .persist();
  });

  it('sends the browser to Slack with single-use state, a nonce and our callback, bound to a cookie', async () => {
    const start = await fetch(`${app.url}/auth/slack/login?team=TSIGN0001`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(oidc.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      scope: 'openid profile email',
      client_id: CLIENT_ID,
      redirect_uri: `${SLACK_ENV.PUBLIC_URL}/auth/slack/callback`,
      team: 'TSIGN0001',
    });
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(start.headers.getSetCookie().join()).toMatch(/lore_signin=.*HttpOnly.*Secure.*SameSite=Lax/i);
  });

  it('refuses a team parameter that is not a Slack team id with a 400 naming the field', async () => {
    const res = await fetch(`${app.url}/auth/slack/login?team=%3Cscript%3E`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.details[0].field).toBe('team');
  });

  it('lets the installer in: a session cookie (httpOnly, Secure, SameSite=Lax) for their workspace', async () => {
    const r = await signIn({ userId: 'UINSTALLER', teamId: 'TSIGN0001' });
    expect(r.back.status).toBe(303);
    expect(r.location).toBe('/app');
    expect(r.tokenBodies[0]).toContain('code=code-1');
    expect(r.tokenBodies[0]).toContain(`client_id=${encodeURIComponent(CLIENT_ID)}`);
    const setCookie = r.back.headers.getSetCookie().find((c) => c.startsWith('lore_session=')) ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const browser = await browserWith(app.url, setCookie.split(';')[0] ?? '');
    const session = await browser.json('/api/session');
    expect(session.body).toMatchObject({
      user: { slackUserId: 'UINSTALLER', name: 'Name of UINSTALLER', isPlatformAdmin: false },
      workspace: { name: 'Team TSIGN0001', status: 'active' },
    });
  });

  it("lets a workspace admin in after asking Slack (users.info with the tenant's bot token)", async () => {
    const auths: string[] = [];
    nock(SLACK_API)
      .post('/api/users.info')
      .reply(function () {
        auths.push(String(this.req.headers.authorization));
        return [200, { ...usersInfo, user: { ...usersInfo.user, is_admin: true } }];
      });
    const r = await signIn({ userId: 'UADMIN0001', teamId: 'TSIGN0001' });
    expect(r.location).toBe('/app');
    expect(auths).toEqual(['Bearer xoxb-TSIGN0001-team']);
  });

  it('sends a member who is neither installer, admin nor owner to "ask your Slack admin", with no session', async () => {
    usersInfoSays({});
    const r = await signIn({ userId: 'UMEMBER001', teamId: 'TSIGN0001' });
    expect(r.back.status).toBe(303);
    expect(r.location).toBe('/app/sign-in?error=not_admin&team=Acme');
    expect(cookieFrom(r.back, 'lore_session')).toBeUndefined();
  });

  it('says so when Lore is not installed in the workspace the person signed in with', async () => {
    const r = await signIn({ userId: 'UNOBODY001', teamId: 'TNOTINSTALLED' });
    expect(r.location).toBe('/app/sign-in?error=not_installed&team=Acme');
  });

  it('gives a platform operator from a workspace without Lore an operator-only session', async () => {
    const r = await signIn({ userId: 'UOPERATOR1', teamId: 'TNOTINSTALLED' });
    expect(r.location).toBe('/app/operator');
    const op = await browserWith(app.url, cookieFrom(r.back, 'lore_session') ?? '');
    expect((await op.json('/api/session')).body).toMatchObject({
      user: { isPlatformAdmin: true },
      workspace: null,
    });
    expect((await op.json('/api/platform/summary')).status).toBe(200);
    const overview = await op.json('/api/overview');
    expect(overview.status).toBe(403);
    expect(overview.body.error.code).toBe('no_workspace');
  });

  it('lets someone who may open several workspaces of an Enterprise Grid org pick one', async () => {
    usersInfoSays({ is_owner: true });
    usersInfoSays({ is_admin: true });
    const r = await signIn({ userId: 'UGRIDADMIN', teamId: 'TGRID0001', enterpriseId: 'EGRID0001' });
    expect(r.location).toBe('/app/choose-workspace');
    const pick = cookieFrom(r.back, 'lore_pick') ?? '';
    expect(cookieFrom(r.back, 'lore_session')).toBeUndefined();
    const pending = await bodyOf(await fetch(`${app.url}/auth/pending`, { headers: { cookie: pick } }));
    expect(pending.workspaces.map((w: { name: string }) => w.name).sort()).toEqual([
      'Org EGRID0001',
      'Team TGRID0001',
    ]);

    const other = '00000000-0000-4000-8000-000000000000';
    const wrong = await fetch(`${app.url}/auth/choose`, {
      method: 'POST',
      headers: { cookie: pick, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: other }),
    });
    expect(wrong.status).toBe(404);

    // The wrong pick used up the pending sign-in: it is single-use too.
    usersInfoSays({ is_owner: true });
    usersInfoSays({ is_admin: true });
    const again = await signIn({ userId: 'UGRIDADMIN', teamId: 'TGRID0001', enterpriseId: 'EGRID0001' });
    const pick2 = cookieFrom(again.back, 'lore_pick') ?? '';
    const choices = await bodyOf(await fetch(`${app.url}/auth/pending`, { headers: { cookie: pick2 } }));
    const chosen = choices.workspaces[0];
    const ok = await fetch(`${app.url}/auth/choose`, {
      method: 'POST',
      headers: { cookie: pick2, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: chosen.tenantId }),
    });
    expect(ok.status).toBe(200);
    const browser = await browserWith(app.url, cookieFrom(ok, 'lore_session') ?? '');
    expect((await browser.json('/api/session')).body.workspace.tenantId).toBe(chosen.tenantId);
  });

  it('refuses a replayed state, a state from another browser, and a user who cancelled on Slack', async () => {
    const first = await signIn({ userId: 'UINSTALLER', teamId: 'TSIGN0001' });
    expect(first.location).toBe('/app');
    const replay = await fetch(`${app.url}/auth/slack/callback?code=code-2&state=${first.state}`, {
      headers: { cookie: first.binding },
      redirect: 'manual',
    });
    expect(replay.headers.get('location')).toBe('/app/sign-in?error=expired');

    const start = await fetch(`${app.url}/auth/slack/login`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
    const foreign = await fetch(`${app.url}/auth/slack/callback?code=code-3&state=${state}`, {
      headers: { cookie: 'lore_signin=someone-elses-binding' },
      redirect: 'manual',
    });
    expect(foreign.headers.get('location')).toBe('/app/sign-in?error=expired');

    const cancelled = await fetch(`${app.url}/auth/slack/callback?error=access_denied&state=${state}`, {
      redirect: 'manual',
    });
    expect(cancelled.headers.get('location')).toBe('/app/sign-in?error=cancelled');
  });

  it('refuses an id_token with the wrong nonce or audience (no session)', async () => {
    const nonce = await signIn({ userId: 'UINSTALLER', teamId: 'TSIGN0001', nonce: 'not-the-one-we-sent' });
    expect(nonce.location).toBe('/app/sign-in?error=failed');
    expect(cookieFrom(nonce.back, 'lore_session')).toBeUndefined();
    const aud = await signIn({ userId: 'UINSTALLER', teamId: 'TSIGN0001', aud: 'another-app' });
    expect(aud.location).toBe('/app/sign-in?error=failed');
  });

  it('reports a refused code exchange as a failed sign-in, not an error page', async () => {
    const start = await fetch(`${app.url}/auth/slack/login`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
    nock(SLACK_API).post('/api/openid.connect.token').reply(200, { ok: false, error: 'invalid_code' });
    const back = await fetch(`${app.url}/auth/slack/callback?code=bad&state=${state}`, {
      headers: { cookie: cookieFrom(start, 'lore_signin') ?? '' },
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toBe('/app/sign-in?error=failed');
  });

  it('offers Slack sign-in and no dev sign-in when the Slack app is configured outside embedded mode', async () => {
    const options = await bodyOf(await fetch(`${app.url}/auth/options`));
    expect(options.slackSignIn).toBe(true);
  });
});
