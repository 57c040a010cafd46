import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionId } from '../../src/tenants/access/dashboard-sessions.service.js';
import { type Browser, browserWith, cookieFrom } from '../support/dashboard.js';
import { buildInstallation } from '../support/factories.js';
import { bodyOf } from '../support/http.js';
import { nockSlackSignIn } from '../support/sign-in-with-slack.js';
import { SLACK_API, slackFixture, startSlackTestApp } from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const usersInfo = slackFixture('users-info-response').payload;
const NEVER_SIGNED_IN = '00000000-0000-4000-8000-000000000000';

const install = (teamId: string, installer: string) => buildInstallation({ teamId, user: { id: installer } });

/** users.info as Slack answers it for one member, recording which bot token asked. */
function usersInfoSays(role: { is_admin?: boolean; is_owner?: boolean }, tokens: string[] = []) {
  nock(SLACK_API)
    .post('/api/users.info')
    .reply(function () {
      tokens.push(String(this.req.headers.authorization));
      return [200, { ...usersInfo, user: { ...usersInfo.user, is_admin: false, is_owner: false, ...role } }];
    });
}

describe('the workspace switcher: one browser signed in to several workspaces (Slack faked with nock)', () => {
  let app: App;

  /**
   * Sign in with Slack from a browser that may already hold a session cookie (`from`): /auth/slack/login →
   * Slack → /auth/slack/callback, sending that cookie like a browser would. Returns the browser afterwards.
   */
  async function signIn(who: { userId: string; teamId: string }, from?: Browser): Promise<Browser> {
    const session = from ? { cookie: from.cookie } : undefined;
    const start = await fetch(`${app.url}/auth/slack/login?team=${who.teamId}`, {
      headers: session,
      redirect: 'manual',
    });
    const authorize = new URL(start.headers.get('location') ?? 'https://invalid.test');
    nockSlackSignIn(
      { ...who, nonce: authorize.searchParams.get('nonce') ?? '' },
      {
        'https://slack.com/team_image_44': `https://avatars.slack-edge.test/${who.teamId}_44.png`,
        'https://slack.com/team_image_default': false,
      },
    );
    const binding = cookieFrom(start, 'lore_signin') ?? '';
    const back = await fetch(
      `${app.url}/auth/slack/callback?code=c&state=${authorize.searchParams.get('state')}`,
      {
        headers: { cookie: [binding, from?.cookie].filter(Boolean).join('; ') },
        redirect: 'manual',
      },
    );
    expect(back.headers.get('location')).toBe('/app');
    return browserWith(app.url, cookieFrom(back, 'lore_session') ?? '');
  }

  const tenantIdOf = async (b: Browser): Promise<string> =>
    (await b.json('/api/session')).body.workspace.tenantId;
  const listed = async (b: Browser) => {
    const { body } = await b.json('/api/session');
    return (body.workspaces as Array<{ name: string; current: boolean }>).map(
      (w) => `${w.name}${w.current ? ' (current)' : ''}`,
    );
  };
  /** Switches and, like the dashboard, carries on with the cookie and CSRF token it was given. */
  async function switchTo(b: Browser, body: unknown, csrf?: false) {
    const res = await b.fetch('/api/session/switch', { method: 'POST', json: body, csrf });
    const cookie = cookieFrom(res, 'lore_session');
    const json = await bodyOf(res);
    return { status: res.status, body: json, browser: cookie ? await browserWith(app.url, cookie) : b };
  }

  /** Live sessions (current and parked) of the browser that holds `b`'s cookie. */
  async function liveInBrowserOf(b: Browser): Promise<number> {
    const { rows } = await app.container.db.pool.query(
      `SELECT count(*)::int AS live FROM lore.dashboard_sessions
       WHERE revoked_at IS NULL AND browser_id = (SELECT browser_id FROM lore.dashboard_sessions WHERE id_hash = $1)`,
      [hashSessionId(b.cookie.split('=')[1] ?? '')],
    );
    return rows[0].live;
  }

  beforeAll(async () => {
    // This file signs one browser in some 25 times within a minute, all from 127.0.0.1: more than the
    // per-address sign-in limit (20 a minute, tested in http-rate-limits.test.ts) lets through.
    app = await startSlackTestApp({ RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000' });
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, slackFixture('chat-postMessage-response').success.payload)
      .persist();
    const { installations } = app.container.tenants;
    for (const team of ['TSWA', 'TSWB', 'TSWC', 'TSWGONE', 'TSWLEFT', 'TSWDEMOTE', 'TSWSTAY'])
      await installations.store(install(team, `UINST${team}`));
  });
  afterAll(() => app.cleanup());
  beforeEach(() => {
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, slackFixture('chat-postMessage-response').success.payload)
      .persist();
  });

  it('remembers A when the same browser signs in to B, and switches back to A, which then serves A', async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const tokens: string[] = [];
    usersInfoSays({ is_admin: true }, tokens);
    const inB = await signIn({ userId: 'UADMINB', teamId: 'TSWB' }, inA);
    expect(tokens).toEqual(['Bearer xoxb-TSWB']);
    const { body } = await inB.json('/api/session');
    expect(body.workspace.name).toBe('Team TSWB');
    expect(await listed(inB)).toEqual(['Team TSWA', 'Team TSWB (current)']);
    expect(body.workspaces.find((w: { current: boolean }) => w.current).iconUrl).toBe(
      'https://avatars.slack-edge.test/TSWB_44.png',
    );
    // The old cookie was A's session: it is parked in the list, no longer a way in by itself.
    expect((await inA.json('/api/session')).status).toBe(401);

    const a = body.workspaces.find((w: { name: string }) => w.name === 'Team TSWA').tenantId;
    const switched = await switchTo(inB, { tenantId: a });
    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ user: { slackUserId: 'UINSTTSWA' }, workspace: { tenantId: a } });
    expect(switched.body.csrfToken).not.toBe(inB.csrf);
    const overview = await switched.browser.json('/api/overview');
    expect(overview.body.workspace.name).toBe('Team TSWA');
    expect(await listed(switched.browser)).toEqual(['Team TSWA (current)', 'Team TSWB']);
    // The cookie that was B's is spent: only the new one works.
    expect((await inB.json('/api/overview')).status).toBe(401);

    // And back to B: still an admin there, asked again with B's bot token.
    usersInfoSays({ is_admin: true }, tokens);
    const back = await switchTo(switched.browser, { tenantId: body.workspace.tenantId });
    expect(back.status).toBe(200);
    expect((await back.browser.json('/api/overview')).body.workspace.name).toBe('Team TSWB');
    expect(tokens).toEqual(['Bearer xoxb-TSWB', 'Bearer xoxb-TSWB']);
  });

  it('answers 404 for a workspace this browser never signed in to, even an installed one, and 400 for junk', async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const inC = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' });
    const c = await tenantIdOf(inC);
    for (const tenantId of [c, NEVER_SIGNED_IN]) {
      const refused = await switchTo(inA, { tenantId });
      expect(refused.status).toBe(404);
      expect(refused.browser).toBe(inA);
    }
    expect((await switchTo(inA, { tenantId: 'not-a-uuid' })).status).toBe(400);
    // A list sent by the browser means nothing: only the server's list counts.
    expect((await switchTo(inA, { tenantId: c, workspaces: [c] })).status).toBe(404);
    expect((await inA.json('/api/overview')).body.workspace.name).toBe('Team TSWA');
  });

  it('refuses a switch without the CSRF token (403) and leaves the session as it was', async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const inC = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' }, inA);
    const list = (await inC.json('/api/session')).body.workspaces;
    const target = list.find((w: { current: boolean }) => !w.current).tenantId;
    const forged = await switchTo(inC, { tenantId: target }, false);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf_failed');
    expect((await inC.json('/api/overview')).body.workspace.name).toBe('Team TSWC');
  });

  it('drops a workspace that was uninstalled meanwhile: 404, and it stays gone after a reinstall', async () => {
    const gone = await signIn({ userId: 'UINSTTSWGONE', teamId: 'TSWGONE' });
    const goneId = await tenantIdOf(gone);
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' }, gone);
    expect(await listed(inA)).toEqual(['Team TSWA (current)', 'Team TSWGONE']);
    const { installations, lifecycle } = app.container.tenants;
    await lifecycle.appUninstalled({ key: { kind: 'team', teamId: 'TSWGONE' }, actor: 'slack' });
    expect(await listed(inA)).toEqual(['Team TSWA (current)']);
    const refused = await switchTo(inA, { tenantId: goneId });
    expect(refused.status).toBe(404);
    await installations.store(install('TSWGONE', 'UINSTTSWGONE'));
    expect(await listed(inA)).toEqual(['Team TSWA (current)']);
    expect((await switchTo(inA, { tenantId: goneId })).status).toBe(404);
  });

  it('still switches away from the current workspace once it was uninstalled', async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const a = await tenantIdOf(inA);
    const current = await signIn({ userId: 'UINSTTSWLEFT', teamId: 'TSWLEFT' }, inA);
    await app.container.tenants.lifecycle.appUninstalled({
      key: { kind: 'team', teamId: 'TSWLEFT' },
      actor: 'slack',
    });
    // The workspace pages refuse the uninstalled workspace; the way out to A still works.
    expect((await current.json('/api/overview')).status).toBe(403);
    const out = await switchTo(current, { tenantId: a });
    expect(out.status).toBe(200);
    expect((await out.browser.json('/api/overview')).body.workspace.name).toBe('Team TSWA');
  });

  it('refuses a person demoted from admin with "ask your Slack admin", and drops that workspace', async () => {
    usersInfoSays({ is_admin: true });
    const inD = await signIn({ userId: 'UDEMOTED', teamId: 'TSWDEMOTE' });
    const d = await tenantIdOf(inD);
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' }, inD);
    const tokens: string[] = [];
    usersInfoSays({ is_admin: false }, tokens);
    const refused = await switchTo(inA, { tenantId: d });
    expect(tokens).toEqual(['Bearer xoxb-TSWDEMOTE']);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('not_admin');
    expect(refused.body.error.message).toMatch(/^Ask your Slack admin/);
    expect(refused.body.error.message).toContain('Team TSWDEMOTE');
    expect(await listed(inA)).toEqual(['Team TSWA (current)']);
    expect((await inA.json('/api/overview')).body.workspace.name).toBe('Team TSWA');
  });

  it("keeps browsers apart: another browser sees only its own workspaces and cannot open this one's", async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const inB = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' }, inA);
    const a = (await inB.json('/api/session')).body.workspaces.find(
      (w: { current: boolean }) => !w.current,
    ).tenantId;
    const other = await signIn({ userId: 'UINSTTSWSTAY', teamId: 'TSWSTAY' });
    expect(await listed(other)).toEqual(['Team TSWSTAY (current)']);
    expect((await switchTo(other, { tenantId: a })).status).toBe(404);
  });

  it('signs out of one workspace (it leaves the list) or of the browser, and everywhere clears every entry', async () => {
    const inA = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const a = await tenantIdOf(inA);
    const inC = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' }, inA);
    const inStay = await signIn({ userId: 'UINSTTSWSTAY', teamId: 'TSWSTAY' }, inC);
    expect(await listed(inStay)).toEqual(['Team TSWA', 'Team TSWC', 'Team TSWSTAY (current)']);

    const left = await switchTo(inStay, { tenantId: a, signOutCurrent: true });
    expect(left.status).toBe(200);
    expect(await listed(left.browser)).toEqual(['Team TSWA (current)', 'Team TSWC']);

    // Signing in to a workspace again replaces its entry instead of adding a second one.
    const again = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' }, left.browser);
    expect(await listed(again)).toEqual(['Team TSWA', 'Team TSWC (current)']);

    // Sign out everywhere: A's entry (another Slack account of this person) ends too.
    expect(await liveInBrowserOf(again)).toBe(2);
    const everywhere = await again.json('/api/session/revoke-all', { method: 'POST' });
    expect(everywhere.status).toBe(200);
    expect((await again.json('/api/session')).status).toBe(401);
    expect(await liveInBrowserOf(again)).toBe(0);

    // Sign out of the browser: with the cookie gone nothing could reach the other entries, so they end.
    const inA2 = await signIn({ userId: 'UINSTTSWA', teamId: 'TSWA' });
    const inC2 = await signIn({ userId: 'UINSTTSWC', teamId: 'TSWC' }, inA2);
    expect(await liveInBrowserOf(inC2)).toBe(2);
    expect((await inC2.fetch('/api/session', { method: 'DELETE' })).status).toBe(204);
    expect(await liveInBrowserOf(inC2)).toBe(0);
  });
});
