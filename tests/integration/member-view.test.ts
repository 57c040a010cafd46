import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { saveChannelScope } from '../../src/knowledge/collections/channel-scopes.repo.js';
import { insertCollection } from '../../src/knowledge/collections/collections.repo.js';
import { moveDocuments } from '../../src/knowledge/documents.repo.js';
import { cookieFrom, sessionFor } from '../support/dashboard.js';
import { signInWithSlack } from '../support/sign-in-with-slack.js';
import { SLACK_API, slackFixture, startSlackTestApp } from '../support/slack.js';
import { addReadyDocument, installWorkspace, rowsOf, type Workspace } from '../support/slack-answers.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const usersInfo = slackFixture('users-info-response').payload;

const HR_PHRASE = 'The parental leave top-up code is ZEBRA-7781 and only HR shares it.';
const TRAVEL =
  '# Travel\n\n## Booking flights\n\nBook flights at least 14 days ahead through the travel desk.\n';
/** Which channels each member is in, as users.conversations reports them. */
const CHANNELS: Record<string, string[]> = { U0ALICE: ['CGENERAL1'], U0HRBOB: ['CGENERAL1', 'CHRTEAM01'] };

/** users.conversations, answered per member from CHANNELS (Slack's documented reply shape). */
function fakeUsersConversations(): void {
  nock(SLACK_API)
    .persist()
    .post('/api/users.conversations')
    .reply((_uri, body) => {
      const user = new URLSearchParams(String(body)).get('user') ?? '';
      const channels = (CHANNELS[user] ?? []).map((id) => ({ id, name: id.toLowerCase(), is_channel: true }));
      return [200, { ok: true, channels, response_metadata: { next_cursor: '' } }];
    });
}

describe('the member view: any member signs in with Slack and reads cited sources of their collections', () => {
  let app: App;
  let ws: Workspace;
  let other: Workspace;
  const docs: Record<string, string> = {};

  const documentId = async (tenantId: string, name: string) =>
    String(
      (
        await rowsOf(app, 'SELECT id FROM lore.documents WHERE tenant_id = $1 AND source_name = $2', [
          tenantId,
          name,
        ])
      )[0]?.id,
    );

  /** Signs `userId` in from a citation link and returns the reader cookie. */
  async function readerCookie(userId: string, teamId = ws.teamId): Promise<string> {
    const page = await fetch(`${app.url}/read/documents/${docs.travel}?chunk=0`, { redirect: 'manual' });
    const back = await signInWithSlack(app.url, { userId, teamId }, page.headers.get('location') ?? '');
    expect(back.headers.get('location')).toBe(`/read/documents/${docs.travel}?chunk=0`);
    return cookieFrom(back, 'lore_reader') ?? '';
  }

  const read = (path: string, cookie: string) =>
    fetch(`${app.url}${path}`, { headers: { cookie }, redirect: 'manual' });

  beforeAll(async () => {
    app = await startSlackTestApp();
    ws = await installWorkspace(app, 'TREADER01');
    other = await installWorkspace(app, 'TREADER02');
    await addReadyDocument(app, ws.tenantId, 'travel.md', TRAVEL);
    await addReadyDocument(app, ws.tenantId, 'hr.md', `# Parental leave\n\n${HR_PHRASE}\n`);
    await addReadyDocument(app, other.tenantId, 'other.md', '# Other\n\nAnother workspace entirely.\n');
    docs.travel = await documentId(ws.tenantId, 'travel.md');
    docs.hr = await documentId(ws.tenantId, 'hr.md');
    docs.other = await documentId(other.tenantId, 'other.md');
    await withTenant(app.container.db, ws.tenantId, async (c) => {
      const hr = (await insertCollection(c, ws.tenantId, { name: 'HR', description: '' })) as string;
      await moveDocuments(c, [docs.hr as string], hr);
      await saveChannelScope(c, ws.tenantId, {
        channelId: 'CHRTEAM01',
        collectionIds: [hr],
        instructions: '',
      });
    });
  });
  afterAll(() => app.cleanup());
  beforeEach(() => fakeUsersConversations());

  it('sends a reader who is not signed in through Sign in with Slack and back to the cited passage', async () => {
    const page = await fetch(`${app.url}/read/documents/${docs.travel}?chunk=0`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `/auth/slack/login?next=${encodeURIComponent(`/read/documents/${docs.travel}?chunk=0`)}`,
    );
    const back = await signInWithSlack(
      app.url,
      { userId: 'U0ALICE', teamId: ws.teamId },
      page.headers.get('location') ?? '',
    );
    expect(back.status).toBe(303);
    // Scoped to /read: the browser never sends it to the dashboard or its API.
    expect(back.headers.getSetCookie().find((c) => c.startsWith('lore_reader='))).toMatch(
      /Path=\/read;.*HttpOnly/i,
    );
    expect(cookieFrom(back, 'lore_session')).toBeUndefined();

    const res = await read(back.headers.get('location') ?? '', cookieFrom(back, 'lore_reader') ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<h1>Travel</h1>');
    expect(html).toMatch(/<section id="chunk-0">/);
    expect(html).toContain('Book flights at least 14 days ahead through the travel desk.');
    expect(html).toMatch(/In Everyone · version 1, added \d{4}-\d{2}-\d{2}/);
  });

  it('lets a member read only documents of the collections their channels (or DMs) use: anything else is the same 404', async () => {
    const alice = await readerCookie('U0ALICE');
    const bob = await readerCookie('U0HRBOB');

    const hiddenFromAlice = await read(`/read/documents/${docs.hr}`, alice);
    expect(hiddenFromAlice.status).toBe(404);
    const notAvailable = await hiddenFromAlice.text();
    expect(notAvailable).toContain('This source is not available to you');
    expect(notAvailable).not.toContain('ZEBRA-7781');

    const forBob = await read(`/read/documents/${docs.hr}`, bob);
    expect(forBob.status).toBe(200);
    expect(await forBob.text()).toContain('ZEBRA-7781');

    // Another workspace's document, an id that exists nowhere, and a malformed id look the same.
    for (const path of [
      `/read/documents/${docs.other}`,
      '/read/documents/00000000-0000-4000-8000-000000000000',
      '/read/documents/nope',
    ]) {
      const res = await read(path, bob);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe(notAvailable);
    }
  });

  it('gives a member 404 for every admin route and every write, even sending the reader cookie there', async () => {
    const alice = await readerCookie('U0ALICE');
    for (const [method, path] of [
      ['GET', '/api/session'],
      ['GET', '/api/documents'],
      ['GET', '/api/overview'],
      ['GET', '/api/settings'],
      ['GET', '/api/collections'],
      ['GET', '/api/platform/tenants'],
      ['POST', '/api/documents'],
      ['DELETE', `/api/documents/${docs.travel}`],
      ['PUT', '/api/settings'],
    ] as const) {
      const res = await fetch(`${app.url}${path}`, { method, headers: { cookie: alice } });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(await rowsOf(app, 'SELECT 1 FROM lore.documents WHERE id = $1', [docs.travel])).toHaveLength(1);
  });

  /** users.info as Slack answers it for the dashboard's role re-check. */
  const usersInfoSays = (isAdmin: boolean) =>
    nock(SLACK_API)
      .persist()
      .post('/api/users.info')
      .reply(200, { ...usersInfo, user: { ...usersInfo.user, is_admin: isAdmin, is_owner: false } });

  it('lets an admin signed in to the dashboard read every collection, without signing in again', async () => {
    usersInfoSays(true);
    const admin = await sessionFor(app.url, app.container.db, { tenantId: ws.tenantId, userId: 'U0ADMIN' });
    const res = await read(`/read/documents/${docs.hr}?chunk=0`, admin.cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('ZEBRA-7781');
  });

  it('an admin whose Slack role was taken away no longer reads other collections through the old session', async () => {
    usersInfoSays(false);
    const former = await sessionFor(app.url, app.container.db, { tenantId: ws.tenantId, userId: 'U0FORMER' });
    const res = await read(`/read/documents/${docs.hr}?chunk=0`, former.cookie);
    // The session no longer counts: the browser is sent to sign in as a member.
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/auth\/slack\/login\?next=/);
  });

  it('tells a member of a workspace Lore does not serve so, and opens no session', async () => {
    const page = await fetch(`${app.url}/read/documents/${docs.travel}`, { redirect: 'manual' });
    const back = await signInWithSlack(
      app.url,
      { userId: 'U0STRANGER', teamId: 'TNOTHERE1' },
      page.headers.get('location') ?? '',
    );
    expect(back.headers.get('location')).toMatch(/^\/app\/sign-in\?error=not_installed/);
    expect(cookieFrom(back, 'lore_reader')).toBeUndefined();
  });

  it('refuses to return anywhere but a member view page after sign-in (no open redirect)', async () => {
    for (const next of [
      'https://evil.test/',
      '//evil.test/x',
      '/app/settings',
      `/read/documents/${docs.travel}/../../app`,
    ]) {
      const res = await fetch(`${app.url}/auth/slack/login?${new URLSearchParams({ next })}`, {
        redirect: 'manual',
      });
      expect(res.status, next).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('must be a /read/documents/ page');
    }
  });
});
