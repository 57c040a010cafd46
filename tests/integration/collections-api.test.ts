import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Browser, sessionFor } from '../support/dashboard.js';
import { startSlackTestApp } from '../support/slack.js';
import { addReadyDocument, installWorkspaceBy, type Workspace } from '../support/slack-answers.js';
import { fakeSlackWebApi } from '../support/slack-web-api.js';

type TestApp = Awaited<ReturnType<typeof startSlackTestApp>>;
const MISSING = '00000000-0000-4000-8000-000000000000';

const CHANNELS = [
  { id: 'C0RANDOM', name: 'random', is_private: false },
  { id: 'G0PEOPLE', name: 'people-team', is_private: true },
  ...Array.from({ length: 3_000 }, (_, i) => ({ id: `C1${String(i).padStart(6, '0')}`, name: `chan-${i}` })),
];

describe('collections API: collections, documents, channel scopes with channel names (real app over HTTP)', () => {
  let app: TestApp;
  let admin: Browser;
  let otherAdmin: Browser;
  let ws: Workspace;

  beforeAll(async () => {
    app = await startSlackTestApp();
    // The installers: the admins the dashboard admits without asking Slack.
    ws = await installWorkspaceBy(app, 'TCOLLAPI1', 'UADMIN1');
    const other = await installWorkspaceBy(app, 'TCOLLAPI2', 'UADMIN2');
    await addReadyDocument(
      app,
      ws.tenantId,
      'benefits.md',
      '# Benefits\n\nDental cover starts after 3 months.',
    );
    admin = await sessionFor(app.url, app.container.db, { tenantId: ws.tenantId, userId: 'UADMIN1' });
    otherAdmin = await sessionFor(app.url, app.container.db, { tenantId: other.tenantId, userId: 'UADMIN2' });
  });
  afterAll(() => app.cleanup());
  // Slack's Web API for every test (nock is reset after each); a test may replace it.
  beforeEach(() => {
    slack = fakeSlackWebApi({ channels: CHANNELS });
  });
  let slack: ReturnType<typeof fakeSlackWebApi>;
  const benefitsId = async () =>
    (await admin.json('/api/documents?search=benefits')).body.items[0].id as string;

  it('lists "Everyone" as the default, holding the sample document and the uploaded one', async () => {
    const { status, body } = await admin.json('/api/collections');
    expect(status).toBe(200);
    expect(body.collections).toEqual([
      expect.objectContaining({ name: 'Everyone', isDefault: true, documentCount: 2, channelIds: [] }),
    ]);
    expect(body.channels).toEqual([]);
    const docs = (await admin.json('/api/documents?sort=title&order=asc')).body.items;
    expect(docs.map((d: { title: string; collectionId: string }) => [d.title, d.collectionId])).toEqual([
      ['Benefits', body.collections[0].id],
      ['Getting started with Lore', body.collections[0].id],
    ]);
  });

  it('creates a collection, refuses a duplicate name and bad input with specific messages, and audits', async () => {
    const created = await admin.json('/api/collections', {
      method: 'POST',
      json: { name: 'HR', description: 'People' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'HR',
      description: 'People',
      isDefault: false,
      documentCount: 0,
    });
    const dup = await admin.json('/api/collections', { method: 'POST', json: { name: 'hr' } });
    expect(dup).toMatchObject({
      status: 409,
      body: { error: { message: 'There is already a collection named "hr".' } },
    });
    const bad = await admin.json('/api/collections', { method: 'POST', json: { name: '   ' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('Give the collection a name');
    // Another workspace may use the same name: names are per workspace.
    expect((await otherAdmin.json('/api/collections', { method: 'POST', json: { name: 'HR' } })).status).toBe(
      201,
    );
    const audit = await app.container.db.pool.query(
      "SELECT action FROM lore.audit_log WHERE tenant_id = $1 AND action LIKE 'collection.%'",
      [ws.tenantId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['collection.created']);
  });

  it("moves documents into a collection, all or nothing, and never another workspace's", async () => {
    const { body } = await admin.json('/api/collections');
    const hr = body.collections.find((c: { name: string }) => c.name === 'HR');
    const docId = await benefitsId();
    const partial = await admin.json(`/api/collections/${hr.id}/documents`, {
      method: 'POST',
      json: { documentIds: [docId, MISSING] },
    });
    expect(partial).toMatchObject({ status: 404 });
    expect(partial.body.error.message).toMatch(/1 of the documents were not found .*nothing was moved/);
    expect((await admin.json(`/api/documents/${docId}`)).body.document.collectionId).not.toBe(hr.id);
    const moved = await admin.json(`/api/collections/${hr.id}/documents`, {
      method: 'POST',
      json: { documentIds: [docId] },
    });
    expect(moved).toMatchObject({ status: 200, body: { name: 'HR', documentCount: 1 } });
    expect((await admin.json(`/api/documents/${docId}`)).body.document.collectionId).toBe(hr.id);
    // The other workspace can neither see the collection nor move into it.
    expect(
      (await otherAdmin.json(`/api/collections/${hr.id}`, { method: 'PATCH', json: { name: 'X' } })).status,
    ).toBe(404);
    expect(
      (
        await otherAdmin.json(`/api/collections/${hr.id}/documents`, {
          method: 'POST',
          json: { documentIds: [docId] },
        })
      ).status,
    ).toBe(404);
  });

  it('lists channel names from conversations.list, bounded and cached, for the picker', async () => {
    const first = await admin.json('/api/slack-channels?refresh=1');
    expect(first.status).toBe(200);
    expect(first.body.problem).toBeNull();
    expect(first.body.complete).toBe(false);
    expect(first.body.channels).toHaveLength(2_700);
    expect(first.body.channels).toContainEqual({ id: 'G0PEOPLE', name: 'people-team', isPrivate: true });
    const pages = slack.of('conversations.list');
    expect(pages).toHaveLength(3);
    expect(pages[0]).toMatchObject({ types: 'public_channel,private_channel', exclude_archived: 'true' });
    const cached = await admin.json('/api/slack-channels');
    expect(cached.body.channels).toHaveLength(2_700);
    expect(slack.of('conversations.list')).toHaveLength(3);
    await admin.json('/api/slack-channels?refresh=1');
    expect(slack.of('conversations.list')).toHaveLength(6);
  });

  it('says why names are missing when Slack refuses the scope', async () => {
    fakeSlackWebApi({ failures: { 'conversations.list': 'missing_scope' } });
    const { body } = await otherAdmin.json('/api/slack-channels?refresh=1');
    expect(body.channels).toEqual([]);
    expect(body.problem).toMatch(/channels:read and groups:read.*reinstall Lore/);
  });

  it('maps a channel to collections with instructions, shown by name; refuses unknown collections and DMs', async () => {
    const { body } = await admin.json('/api/collections');
    const hr = body.collections.find((c: { name: string }) => c.name === 'HR');
    const saved = await admin.json('/api/channel-scopes/G0PEOPLE', {
      method: 'PUT',
      json: { collectionIds: [hr.id], instructions: 'Audience: managers. Formal tone.' },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.channels).toEqual([
      expect.objectContaining({
        channelId: 'G0PEOPLE',
        channelName: 'people-team',
        collectionIds: [hr.id],
        instructions: 'Audience: managers. Formal tone.',
      }),
    ]);
    const unknown = await admin.json('/api/channel-scopes/C0RANDOM', {
      method: 'PUT',
      json: { collectionIds: [MISSING] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/no longer exists/);
    expect(
      (await admin.json('/api/channel-scopes/D0DIRECT', { method: 'PUT', json: { collectionIds: [] } }))
        .status,
    ).toBe(400);
    const foreign = await otherAdmin.json('/api/channel-scopes/C0RANDOM', {
      method: 'PUT',
      json: { collectionIds: [hr.id] },
    });
    expect(foreign.status).toBe(404);
  });

  it('refuses to delete a collection channels still use, naming them; then one that holds documents; then deletes', async () => {
    const { body } = await admin.json('/api/collections');
    const hr = body.collections.find((c: { name: string }) => c.name === 'HR');
    const everyone = body.collections.find((c: { isDefault: boolean }) => c.isDefault);
    const inUse = await admin.json(`/api/collections/${hr.id}`, { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toBe(
      '"HR" is still used by #people-team: choose other collections for that channel first.',
    );
    await admin.json('/api/channel-scopes/G0PEOPLE', { method: 'DELETE' });
    const holding = await admin.json(`/api/collections/${hr.id}`, { method: 'DELETE' });
    expect(holding.status).toBe(409);
    expect(holding.body.error.message).toMatch(/still holds 1 document: move it/);
    const isDefault = await admin.json(`/api/collections/${everyone.id}`, { method: 'DELETE' });
    expect(isDefault.status).toBe(409);
    expect(isDefault.body.error.message).toMatch(/is the workspace default/);
    await admin.json(`/api/collections/${everyone.id}/documents`, {
      method: 'POST',
      json: { documentIds: [await benefitsId()] },
    });
    expect((await admin.json(`/api/collections/${hr.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(
      (await admin.json('/api/collections')).body.collections.map((c: { name: string }) => c.name),
    ).toEqual(['Everyone']);
  });

  it('moves the workspace default to another collection (there is always exactly one)', async () => {
    const created = await admin.json('/api/collections', { method: 'POST', json: { name: 'Company' } });
    const made = await admin.json(`/api/collections/${created.body.id}`, {
      method: 'PATCH',
      json: { isDefault: true },
    });
    expect(made.body).toMatchObject({ name: 'Company', isDefault: true });
    const all = (await admin.json('/api/collections')).body.collections;
    expect(
      all.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { name: string }) => c.name),
    ).toEqual(['Company']);
    expect(
      (
        await admin.json(`/api/collections/${created.body.id}`, {
          method: 'PATCH',
          json: { isDefault: false },
        })
      ).status,
    ).toBe(400);
  });
});
