import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { type Browser, sessionFor } from '../support/dashboard.js';
import { slackFixture, startSlackTestApp } from '../support/slack.js';
import { installWorkspaceBy, postEvent, rowsOf, uniqueId, type Workspace } from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';
import { runCli } from '../support/test-app.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('announcements: operators compose them (operator view or CLI), addressed workspaces see them (real app over HTTP)', () => {
  let app: App;
  let operator: Browser;
  let free: Workspace;
  let team: Workspace;
  let freeAdmin: Browser;
  let teamAdmin: Browser;

  /** `npm run cli -- …` against the running server, as the CLI does in embedded mode. */
  const cli = (argv: string[]) => runCli(app, argv);
  const announcementIds = async (b: Browser) =>
    ((await b.json('/api/notices')).body.notices as Array<{ id: string; kind: string }>)
      .filter((n) => n.kind === 'announcement')
      .map((n) => n.id.replace('announcement-', ''));
  const count = async () => Number((await rowsOf(app, 'SELECT count(*) AS n FROM lore.announcements'))[0].n);

  beforeAll(async () => {
    app = await startSlackTestApp({ PLATFORM_ADMINS: 'UOPERATOR1' });
    operator = await sessionFor(app.url, app.container.db, {
      tenantId: null,
      userId: 'UOPERATOR1',
      isPlatformAdmin: true,
    });
    free = await installWorkspaceBy(app, 'TANNFREE1', 'UFREEADM1');
    team = await installWorkspaceBy(app, 'TANNTEAM1', 'UTEAMADM1');
    await app.container.db.pool.query(`UPDATE lore.tenants SET plan_id = 'team' WHERE id = $1`, [
      team.tenantId,
    ]);
    freeAdmin = await sessionFor(app.url, app.container.db, { tenantId: free.tenantId, userId: 'UFREEADM1' });
    teamAdmin = await sessionFor(app.url, app.container.db, { tenantId: team.tenantId, userId: 'UTEAMADM1' });
  });
  afterAll(() => app.cleanup());

  it('an operator announces maintenance to everyone in Markdown: every workspace gets a dismissible banner, audited', async () => {
    const created = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: {
        level: 'maintenance',
        text: '**Lore** is down for an upgrade on Sunday, 02:00-03:00 UTC. See [the status page](https://status.example.com).',
        audience: { kind: 'all' },
        endsAt: inHours(2),
      },
    });
    expect(created.status).toBe(201);
    for (const admin of [freeAdmin, teamAdmin]) {
      const { body } = await admin.json('/api/notices');
      expect(body.notices).toEqual([
        {
          id: `announcement-${created.body.id}`,
          kind: 'announcement',
          level: 'maintenance',
          title: 'Planned maintenance',
          text: '*Lore* is down for an upgrade on Sunday, 02:00-03:00 UTC. See <https://status.example.com|the status page>.',
          link: null,
          dismissible: true,
        },
      ]);
    }
    const audit = await rowsOf(app, `SELECT actor, action, tenant_id FROM lore.audit_log WHERE target = $1`, [
      created.body.id,
    ]);
    expect(audit).toEqual([
      { actor: 'operator:UOPERATOR1', action: 'announcement.created', tenant_id: null },
    ]);
    expect(
      (await operator.json(`/api/platform/announcements/${created.body.id}/end`, { method: 'POST' })).status,
    ).toBe(200);
    expect(await announcementIds(freeAdmin)).toEqual([]);
  });

  it('one plan, or listed workspaces, only reach those; row-level security hides the others from a workspace', async () => {
    const toTeam = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: {
        level: 'info',
        text: 'Team plan news',
        audience: { kind: 'plan', planId: 'team' },
        endsAt: inHours(1),
      },
    });
    const toFree = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: {
        level: 'warning',
        text: 'Your workspace only',
        audience: { kind: 'tenants', tenantIds: [free.tenantId] },
        endsAt: inHours(1),
      },
    });
    const later = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: {
        level: 'info',
        text: 'Not yet',
        audience: { kind: 'all' },
        startsAt: inHours(1),
        endsAt: inHours(3),
      },
    });
    expect([toTeam.status, toFree.status, later.status]).toEqual([201, 201, 201]);
    expect(await announcementIds(teamAdmin)).toEqual([toTeam.body.id]);
    expect(await announcementIds(freeAdmin)).toEqual([toFree.body.id]);
    const visible = await withTenant(app.container.db, team.tenantId, (c) =>
      c.query('SELECT id FROM lore.announcements WHERE id = $1', [toFree.body.id]),
    );
    expect(visible.rows).toEqual([]);
  });

  it('refuses bad announcements with a specific error and stores nothing; only operators may compose', async () => {
    const before = await count();
    const post = (json: unknown, who = operator) =>
      who.json('/api/platform/announcements', { method: 'POST', json });
    const past = await post({ level: 'info', text: 'x', audience: { kind: 'all' }, endsAt: inHours(-1) });
    expect(past.status).toBe(400);
    expect(past.body.error.details).toContainEqual({
      field: 'endsAt',
      message: 'The end must be in the future',
    });
    const level = await post({ level: 'urgent', text: 'x', audience: { kind: 'all' }, endsAt: inHours(1) });
    expect(level.status).toBe(400);
    expect(level.body.error.details[0].field).toBe('level');
    const plan = await post({
      level: 'info',
      text: 'x',
      audience: { kind: 'plan', planId: 'gold' },
      endsAt: inHours(1),
    });
    expect(plan.status).toBe(400);
    expect(plan.body.error.message).toBe('There is no plan "gold"');
    const ghost = '00000000-0000-4000-8000-000000000000';
    const tenants = await post({
      level: 'info',
      text: 'x',
      audience: { kind: 'tenants', tenantIds: [free.tenantId, ghost] },
      endsAt: inHours(1),
    });
    expect(tenants.status).toBe(400);
    expect(tenants.body.error.message).toBe(`No such workspace: ${ghost}`);
    const notOperator = await post(
      { level: 'info', text: 'x', audience: { kind: 'all' }, endsAt: inHours(1) },
      freeAdmin,
    );
    expect(notOperator.status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('npm run cli -- announcements create|list|end works the same, and App Home shows the announcement as a section', async () => {
    const created = await cli([
      'announcements',
      'create',
      '--level',
      'warning',
      '--text',
      'Answers may be slow today: _we are on it_.',
      '--tenants',
      team.tenantId,
      '--ends',
      inHours(4),
    ]);
    expect(created.exitCode).toBe(0);
    const id = /Announcement ([0-9a-f-]{36}) \(warning, 1 tenant\(s\)\)/.exec(created.output)?.[1] as string;
    expect(id).toBeDefined();
    expect((await cli(['announcements', 'list', '--live'])).output).toContain(id);
    expect(await announcementIds(teamAdmin)).toContain(id);

    const slack = fakeSlackWebApi({ admin: false });
    const p = structuredClone(slackFixture('events-app-home-opened').payload);
    p.team_id = team.teamId;
    p.authorizations[0].team_id = team.teamId;
    p.event_id = uniqueId('EvHome');
    expect((await postEvent(app.url, p)).status).toBe(200);
    await vi.waitFor(() => expect(slack.of('views.publish')).toHaveLength(1), { timeout: 10_000 });
    const home = JSON.stringify(slack.of('views.publish')[0].view.blocks);
    expect(home).toContain(':warning: *Important*\\nAnswers may be slow today: _we are on it_.');

    const bad = await cli([
      'announcements',
      'create',
      '--level',
      'info',
      '--text',
      'x',
      '--ends',
      'tomorrow',
    ]);
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain('endsAt');
    expect((await cli(['announcements', 'end', id])).output).toContain(`Announcement ${id} ended.`);
    expect(await announcementIds(teamAdmin)).not.toContain(id);
    expect((await cli(['announcements', 'end', id])).exitCode).toBe(1);
    const audit = await rowsOf(app, 'SELECT action FROM lore.audit_log WHERE target = $1 ORDER BY id', [id]);
    expect(audit.map((r) => r.action)).toEqual(['announcement.created', 'announcement.ended']);
  });

  it('a maintenance announcement can also DM the admins of every addressed workspace, once each; other levels cannot', async () => {
    const slack = fakeSlackWebApi();
    const info = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: { level: 'info', text: 'x', audience: { kind: 'all' }, endsAt: inHours(1), dmAdmins: true },
    });
    expect(info.status).toBe(400);
    expect(info.body.error.details).toContainEqual({
      field: 'dmAdmins',
      message: 'Only maintenance announcements can DM the admins',
    });
    const created = await operator.json('/api/platform/announcements', {
      method: 'POST',
      json: {
        level: 'maintenance',
        text: 'Upgrade **tonight**, 22:00 UTC.',
        audience: { kind: 'plan', planId: 'team' },
        endsAt: inHours(6),
        dmAdmins: true,
      },
    });
    expect(created.status).toBe(201);
    const dms = () =>
      slack.of('chat.postMessage').filter((m) => String(m.text).includes('Planned maintenance'));
    await vi.waitFor(() => expect(dms()).toHaveLength(1), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 300));
    // The Team workspace's installer only: the Free workspace is not addressed.
    expect(dms()).toEqual([
      expect.objectContaining({
        channel: 'UTEAMADM1',
        text: ':construction: *Planned maintenance*\nUpgrade *tonight*, 22:00 UTC.',
      }),
    ]);
  });
});
