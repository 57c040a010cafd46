import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiKeyContext } from '../../src/tenants/settings/settings.service.js';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
const OPENAI = 'https://api.openai.com';
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('dashboard API: overview, settings, OpenAI key, API keys, audit, danger zone, tenant isolation', () => {
  let app: TestApp;
  let admin: Browser;
  let otherAdmin: Browser;
  let tenantA: string;

  const upload = (b: Browser, name: string, text: string) => {
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/markdown' }), name);
    return b.json('/api/documents', { method: 'POST', body: form });
  };

  beforeAll(async () => {
    app = await startTestApp();
    admin = await devSignIn(app.url);
    tenantA = (await admin.json('/api/session')).body.workspace.tenantId;
    const other = (await createTenant(app.container.db, { slackTeamId: 'TAPIOTHER1', name: 'Other Co' })).id;
    otherAdmin = await sessionFor(app.url, app.container.db, { tenantId: other, userId: 'UOTHERADMIN' });
  });
  afterAll(() => app.cleanup());

  it('overview: plan, quota bars, this month, and an install status for a workspace Slack never installed', async () => {
    const { status, body } = await admin.json('/api/overview');
    expect(status).toBe(200);
    expect(body.workspace).toMatchObject({ tenantId: tenantA, name: 'Demo workspace', isDemo: true });
    expect(body.plan).toEqual({ id: 'team', name: 'Team' });
    expect(body.quotas.questions).toEqual({ used: 0, limit: 3000 });
    expect(body.quotas.documents.limit).toBe(1000);
    expect(body.install).toMatchObject({
      installed: false,
      missingScopes: [],
      reinstallUrl: expect.stringMatching(/\/slack\/install$/),
    });
    expect(body.month).toMatchObject({ questions: 0, thumbsUp: 0, thumbsDown: 0, openGaps: 0 });
  });

  it('settings: reads defaults, saves a change, and says which field is wrong', async () => {
    const before = await admin.json('/api/settings');
    expect(before.body).toMatchObject({
      channelMode: 'all',
      answerStyle: 'concise',
      openAiKey: { set: false, last4: null },
    });
    const saved = await admin.json('/api/settings', {
      method: 'PATCH',
      json: {
        channelMode: 'selected',
        allowedChannelIds: ['C0123ABCD'],
        answerStyle: 'detailed',
        userRatePerMinute: 7,
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      channelMode: 'selected',
      allowedChannelIds: ['C0123ABCD'],
      answerStyle: 'detailed',
      userRatePerMinute: 7,
    });
    expect((await otherAdmin.json('/api/settings')).body.channelMode).toBe('all');

    const bad = await admin.json('/api/settings', {
      method: 'PATCH',
      json: { allowedChannelIds: ['#general'], userRatePerMinute: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'allowedChannelIds.0',
      'userRatePerMinute',
    ]);
    const empty = await admin.json('/api/settings', { method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
    const long = await admin.json('/api/settings', {
      method: 'PATCH',
      json: { instructions: 'x'.repeat(2001) },
    });
    expect(long.status).toBe(400);
  });

  it('OpenAI key: tested with GET /models, stored encrypted, shown only as its last four characters', async () => {
    const key = `sk-proj-${'a'.repeat(40)}WXYZ`;
    let sentAuth = '';
    nock(OPENAI)
      .get('/v1/models')
      .reply(function () {
        sentAuth = String(this.req.headers.authorization);
        return [
          200,
          { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'openai' }] },
        ];
      });
    const res = await admin.json('/api/settings/openai-key', { method: 'PUT', json: { key } });
    expect(res.status).toBe(200);
    expect(sentAuth).toBe(`Bearer ${key}`);
    expect(res.body.openAiKey).toEqual({ set: true, last4: 'WXYZ' });
    expect(JSON.stringify(res.body)).not.toContain(key);
    const raw = await app.container.db.pool.query(
      'SELECT openai_key_encrypted FROM lore.tenant_settings WHERE tenant_id = $1',
      [tenantA],
    );
    expect(raw.rows[0].openai_key_encrypted).not.toContain('sk-');
    expect(app.container.cipher.decrypt(raw.rows[0].openai_key_encrypted, openAiKeyContext(tenantA))).toBe(
      key,
    );
    expect(JSON.stringify((await admin.json('/api/settings')).body)).not.toContain(key);
  });

  it('OpenAI key: a key OpenAI refuses is not stored, and the admin is told why (never the raw error)', async () => {
    nock(OPENAI)
      .get('/v1/models')
      .reply(401, { error: { message: 'Incorrect API key provided: sk-bad…', code: 'invalid_api_key' } });
    const res = await admin.json('/api/settings/openai-key', {
      method: 'PUT',
      json: { key: `sk-${'b'.repeat(40)}` },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('openai_key_rejected');
    expect(res.body.error.message).not.toContain('Incorrect API key');
    expect((await admin.json('/api/settings')).body.openAiKey.last4).toBe('WXYZ');
    const notAKey = await admin.json('/api/settings/openai-key', { method: 'PUT', json: { key: 'hello' } });
    expect(notAKey.status).toBe(400);
  });

  it('OpenAI key: removing it returns to the platform key', async () => {
    const res = await admin.json('/api/settings/openai-key', { method: 'DELETE' });
    expect(res.body.openAiKey).toEqual({ set: false, last4: null });
  });

  it('API keys: created and shown once, listed without the key, revoked; another tenant cannot revoke them', async () => {
    const created = await admin.json('/api/api-keys', { method: 'POST', json: { name: 'wiki sync' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^lore_/);
    const id = created.body.apiKey.id;
    const list = await admin.json('/api/api-keys');
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(list.body.items.find((k: { id: string }) => k.id === id)).toMatchObject({
      name: 'wiki sync',
      revokedAt: null,
    });
    expect((await otherAdmin.json(`/api/api-keys/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(
      (await fetch(`${app.url}/api/documents`, { headers: { authorization: `Bearer ${created.body.key}` } }))
        .status,
    ).toBe(200);
    expect((await admin.json(`/api/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(
      (await fetch(`${app.url}/api/documents`, { headers: { authorization: `Bearer ${created.body.key}` } }))
        .status,
    ).toBe(401);
    expect((await admin.json('/api/api-keys/not-a-uuid', { method: 'DELETE' })).status).toBe(404);
    expect((await admin.json('/api/api-keys', { method: 'POST', json: { name: '' } })).status).toBe(400);
  });

  it("documents: another tenant's document ids are 404 for view, chunks, delete and re-index", async () => {
    const up = await upload(admin, 'policy.md', '# Policy\n\nRemote work is allowed on Fridays.');
    const id = up.body.results[0].document.id;
    for (const [method, path] of [
      ['GET', `/api/documents/${id}`],
      ['GET', `/api/documents/${id}/chunks`],
      ['DELETE', `/api/documents/${id}`],
      ['POST', `/api/documents/${id}/reindex`],
    ] as const) {
      expect((await otherAdmin.json(path, { method })).status, `${method} ${path}`).toBe(404);
    }
    expect((await admin.json(`/api/documents/${id}`)).status).toBe(200);
  });

  it('audit log: lists this tenant’s actions newest first, filtered by action prefix, actor and date', async () => {
    const all = await admin.json('/api/audit');
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'settings.updated',
        'openai_key.set',
        'api_key.created',
        'dashboard.signed_in',
      ]),
    );
    const keys = await admin.json('/api/audit?action=api_key.');
    expect(keys.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'api_key.created',
      'api_key.revoked',
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const dated = await admin.json(`/api/audit?from=${today}&to=${today}&actor=U0LOREDEV`);
    expect(dated.body.total).toBeGreaterThan(0);
    expect((await admin.json('/api/audit?from=2000-01-01&to=2000-01-02')).body.items).toEqual([]);
    expect(JSON.stringify((await otherAdmin.json('/api/audit')).body)).not.toContain('openai_key.set');
    expect((await admin.json('/api/audit?from=yesterday')).status).toBe(400);
    expect((await admin.json("/api/audit?action=x';drop")).status).toBe(400);
  });

  it('danger zone: refuses without the exact workspace name, then deletes the knowledge base', async () => {
    const wrong = await admin.json('/api/settings/delete-all-data', {
      method: 'POST',
      json: { confirm: 'demo' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('confirmation_mismatch');
    expect((await admin.json('/api/documents')).body.total).toBeGreaterThan(0);
    const ok = await admin.json('/api/settings/delete-all-data', {
      method: 'POST',
      json: { confirm: 'Demo workspace' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.documents).toBeGreaterThan(0);
    expect((await admin.json('/api/documents')).body.total).toBe(0);
    expect((await admin.json('/api/settings')).status).toBe(200);
  });

  it('ask: an empty question is a 400 naming the field', async () => {
    const bad = await admin.json('/api/ask', { method: 'POST', json: { question: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('question');
  });

  it('every dashboard route needs a sign-in', async () => {
    for (const path of [
      '/api/overview',
      '/api/settings',
      '/api/api-keys',
      '/api/usage',
      '/api/conversations',
      '/api/gaps',
      '/api/audit',
    ]) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(401);
    }
    expect((await fetch(`${app.url}/api/ask`, { method: 'POST' })).status).toBe(401);
  });

  it('a suspended workspace’s dashboard is closed (403), its session still says why', async () => {
    const t = (await createTenant(app.container.db, { slackTeamId: 'TSUSPEND01', name: 'Paused Co' })).id;
    const b = await sessionFor(app.url, app.container.db, { tenantId: t, userId: 'UPAUSED' });
    await app.container.db.pool.query("UPDATE lore.tenants SET status = 'suspended' WHERE id = $1", [t]);
    const res = await b.json('/api/overview');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('workspace_unavailable');
    expect((await b.json('/api/session')).body.workspace.status).toBe('suspended');
    expect((await b.json(`/api/documents/${MISSING}`)).status).toBe(403);
  });
});
