import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceRoleCheck } from '../../src/slack/workspace-roles.js';
import { findAccessibleWorkspaces } from '../../src/tenants/access/dashboard-access.service.js';
import { sessionFor } from '../support/dashboard.js';
import { buildInstallation } from '../support/factories.js';
import { SLACK_API, slackFixture, startSlackTestApp } from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;
const usersInfo = slackFixture('users-info-response').payload;

const install = (teamId: string, installer: string) =>
  buildInstallation({ teamId, bot: { token: `xoxb-${teamId}-${installer}` }, user: { id: installer } });

/** Slack's users.info for every member asked about: the given role, counted. */
function usersInfoSays(role: { is_admin: boolean }) {
  const asked: string[] = [];
  nock(SLACK_API)
    .persist()
    .post('/api/users.info', (b) => {
      asked.push(new URLSearchParams(b).get('user') ?? '');
      return true;
    })
    .reply(200, () => ({ ...usersInfo, user: { ...usersInfo.user, is_owner: false, ...role } }));
  return asked;
}

describe('dashboard rights end when the reasons for them end (M2, L1)', () => {
  let app: App;
  let tenantId: string;

  beforeAll(async () => {
    app = await startSlackTestApp({ PLATFORM_ADMINS: 'UOPERATOR1' });
    // Installs queue a welcome DM: answer it, so no job is left retrying at shutdown.
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, { ok: true, ts: '1.1', channel: 'D1' })
      .persist();
    ({ tenantId } = await app.container.tenants.installations.store(install('TEXPIRE01', 'UFIRST01')));
  });
  afterAll(() => app.cleanup());

  it('the first installer loses the dashboard once someone else reinstalls, unless Slack says admin', async () => {
    const first = await sessionFor(app.url, app.container.db, { tenantId, userId: 'UFIRST01' });
    expect((await first.json('/api/overview')).status).toBe(200);

    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(200, { ok: true, ts: '1.2', channel: 'D1' })
      .persist();
    await app.container.tenants.installations.store(install('TEXPIRE01', 'USECOND01'));
    usersInfoSays({ is_admin: false });

    // The open session ends at its next request…
    const after = await first.json('/api/overview');
    expect(after.status).toBe(401);
    // …and a new sign-in is not offered the workspace either; the new installer is.
    const roleOf = createWorkspaceRoleCheck(app.container.slack.clients, app.container.logger);
    const who = (userId: string) => ({ userId, teamId: 'TEXPIRE01', enterpriseId: null });
    expect((await findAccessibleWorkspaces(app.container.db, who('UFIRST01'), roleOf)).allowed).toEqual([]);
    const second = await findAccessibleWorkspaces(app.container.db, who('USECOND01'), roleOf);
    expect(second.allowed.map((w) => w.role)).toEqual(['installer']);
  });

  it('a workspace admin whose Slack role was taken away loses the dashboard; the role is cached briefly', async () => {
    const asked = usersInfoSays({ is_admin: false });
    const demoted = await sessionFor(app.url, app.container.db, { tenantId, userId: 'UDEMOTED1' });
    expect((await demoted.json('/api/overview')).status).toBe(401);
    expect((await demoted.json('/api/settings')).status).toBe(401);
    // One question to Slack for all three requests (GET /api/session included): cached for a minute.
    expect(asked.filter((u) => u === 'UDEMOTED1')).toHaveLength(1);
  });

  it('operator rights follow PLATFORM_ADMINS now, not the flag frozen into a 7-day session', async () => {
    const current = await sessionFor(app.url, app.container.db, {
      tenantId: null,
      userId: 'UOPERATOR1',
      isPlatformAdmin: true,
    });
    expect((await current.json('/api/platform/summary')).status).toBe(200);
    // Signed in while still listed; removed from PLATFORM_ADMINS since (and the server restarted).
    const removed = await sessionFor(app.url, app.container.db, {
      tenantId: null,
      userId: 'UREMOVED01',
      isPlatformAdmin: true,
    });
    const refused = await removed.json('/api/platform/summary');
    expect(refused.status).toBe(403);
    expect((await removed.json('/api/session')).body).toMatchObject({ user: { isPlatformAdmin: false } });
  });
});
