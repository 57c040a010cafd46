import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, devSignIn } from '../support/dashboard.js';
import { bodyOf, type JsonBody } from '../support/http.js';
import { runCli, startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const HANDBOOK = `# Leave policy

## Vacation
Every employee gets 27 vacation days per year. Unused vacation days carry over until the end of March.
`;

describe('API keys: scopes, expiry, rotation, last use, and POST /api/ask for keys with the ask scope', () => {
  let app: TestApp;
  let admin: Browser;
  let docId: string;

  const call = (key: string, path: string, init: RequestInit = {}) =>
    fetch(`${app.url}/api${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });
  const ask = (key: string, question: string) =>
    call(key, '/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
    });
  const upload = (key: string, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([`# ${name}\n\nNotes about ${name}.`], { type: 'text/markdown' }), name);
    return call(key, '/documents', { method: 'POST', body: form });
  };
  const newKey = async (json: JsonBody): Promise<{ key: string; apiKey: JsonBody }> => {
    const res = await admin.json('/api/api-keys', { method: 'POST', json });
    expect(res.status).toBe(201);
    return res.body;
  };
  const listed = async (id: string): Promise<JsonBody> =>
    ((await admin.json('/api/api-keys')).body.items as JsonBody[]).find((k) => k.id === id);
  /** Moves a key's end into the past: what the clock does after its expiry or grace period. */
  const timePasses = (id: string) =>
    app.container.db.pool.query(
      "UPDATE lore.api_keys SET expires_at = now() - interval '1 second' WHERE id = $1",
      [id],
    );
  const countDocs = async () =>
    Number((await app.container.db.pool.query('SELECT count(*)::int AS n FROM lore.documents')).rows[0]?.n);
  const expectMissingScope = async (res: Response, scope: string) => {
    expect(res.status).toBe(403);
    const body = await bodyOf(res);
    expect(body.error.code).toBe('missing_scope');
    expect(body.error.message).toContain(`"${scope}"`);
    expect(body.error.details.needed).toBe(scope);
  };

  beforeAll(async () => {
    app = await startTestApp();
    admin = await devSignIn(app.url);
    const form = new FormData();
    form.append('file', new Blob([HANDBOOK], { type: 'text/markdown' }), 'leave.md');
    docId = (await admin.json('/api/documents', { method: 'POST', body: form })).body.results[0].document.id;
    for (let i = 0; i < 200; i++) {
      const { body } = await admin.json(`/api/documents/${docId}`);
      if (body.document.status === 'ready') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(() => app.cleanup());

  it('shows a new key once with its scopes and expiry; the list has neither the key nor its hash', async () => {
    const created = await newKey({ name: 'wiki sync', scopes: ['documents:read'], expiresInDays: 30 });
    expect(created.key).toMatch(/^lore_[A-Za-z0-9_-]{40,}$/);
    expect(created.apiKey).toMatchObject({ name: 'wiki sync', scopes: ['documents:read'], lastUsedAt: null });
    const days = (Date.parse(created.apiKey.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const list = JSON.stringify((await admin.json('/api/api-keys')).body);
    expect(list).not.toContain(created.key);
    expect(list).not.toContain(created.key.slice(12));
    // Without a choice a key may manage documents: what every key could do before scopes.
    expect((await newKey({ name: 'default' })).apiKey.scopes).toEqual(['documents:read', 'documents:write']);
  });

  it('refuses bad scopes, expiry and grace periods with a 400 that names the problem, creating nothing', async () => {
    const before = (await admin.json('/api/api-keys')).body.items.length;
    for (const [json, message] of [
      [{ name: 'x', scopes: ['admin'] }, /scopes/],
      [{ name: 'x', scopes: [] }, /at least one scope/],
      [{ name: 'x', expiresInDays: 0 }, /expiresInDays/],
      [{ name: 'x', expiresInDays: 'soon' }, /expiresInDays/],
    ] as const) {
      const res = await admin.json('/api/api-keys', { method: 'POST', json });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error)).toMatch(message);
    }
    const { apiKey } = await newKey({ name: 'to rotate badly' });
    for (const graceHours of [-1, 721, 1.5]) {
      const res = await admin.json(`/api/api-keys/${apiKey.id}/rotate`, {
        method: 'POST',
        json: { graceHours },
      });
      expect(res.status).toBe(400);
    }
    expect((await admin.json('/api/api-keys')).body.items.length).toBe(before + 1);
  });

  it('refuses every route a key’s scopes do not cover (403 missing_scope), and changes nothing', async () => {
    const reader = (await newKey({ name: 'reader', scopes: ['documents:read'] })).key;
    const writer = (await newKey({ name: 'writer', scopes: ['documents:write'] })).key;
    const asker = (await newKey({ name: 'asker', scopes: ['ask'] })).key;
    const docs = await countDocs();

    // documents:read
    expect((await call(reader, '/documents')).status).toBe(200);
    expect((await call(reader, `/documents/${docId}`)).status).toBe(200);
    await expectMissingScope(await upload(reader, 'r.md'), 'documents:write');
    await expectMissingScope(
      await call(reader, `/documents/${docId}`, { method: 'DELETE' }),
      'documents:write',
    );
    await expectMissingScope(
      await call(reader, '/documents/reindex', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      'documents:write',
    );
    await expectMissingScope(await ask(reader, 'How many vacation days?'), 'ask');

    // documents:write
    await expectMissingScope(await call(writer, '/documents'), 'documents:read');
    await expectMissingScope(await call(writer, `/documents/${docId}/chunks`), 'documents:read');
    await expectMissingScope(await ask(writer, 'How many vacation days?'), 'ask');

    // ask
    await expectMissingScope(await call(asker, '/documents'), 'documents:read');
    await expectMissingScope(await upload(asker, 'a.md'), 'documents:write');
    await expectMissingScope(
      await call(asker, `/documents/${docId}`, { method: 'DELETE' }),
      'documents:write',
    );
    expect(await countDocs()).toBe(docs);
    expect((await admin.json(`/api/documents/${docId}`)).status).toBe(200);

    // No scope opens the dashboard's own routes.
    for (const key of [reader, writer, asker]) {
      expect((await call(key, '/settings')).status).toBe(403);
      expect((await call(key, '/api-keys')).status).toBe(403);
    }
    expect((await upload(writer, 'w.md')).status).toBe(202);
  });

  it('answers POST /api/ask for a key with the ask scope, metered like Slack, and stamps its last use', async () => {
    const { key, apiKey } = await newKey({ name: 'helpdesk bot', scopes: ['ask'] });
    const res = await ask(key, 'How many vacation days do employees get?');
    expect(res.status).toBe(200);
    const body = await bodyOf(res);
    expect(body.outcome).toBe('extractive');
    expect(body.text).toContain('27 vacation days');
    expect(body.sources[0]).toMatchObject({ position: 1, documentId: docId });
    const usage = await app.container.db.pool.query(
      'SELECT u.slack_user_id AS "userId", a.outcome FROM lore.usage_events u JOIN lore.answers a ON a.id = u.answer_id WHERE a.id = $1',
      [body.answerId],
    );
    expect(usage.rows).toEqual([{ userId: `apikey:${apiKey.id}`, outcome: 'extractive' }]);
    // Recorded as the API's own surface, apart from the admins' playground.
    const recorded = await app.container.db.pool.query(
      'SELECT c.surface FROM lore.answers a JOIN lore.conversations c ON c.id = a.conversation_id WHERE a.id = $1',
      [body.answerId],
    );
    expect(recorded.rows).toEqual([{ surface: 'api' }]);
    const used = await listed(apiKey.id);
    expect(Date.now() - Date.parse(used.lastUsedAt)).toBeLessThan(60_000);
  });

  it("holds a key's questions to the workspace's per-person rate limit, as in Slack", async () => {
    expect(
      (await admin.json('/api/settings', { method: 'PATCH', json: { userRatePerMinute: 1 } })).status,
    ).toBe(200);
    try {
      const { key } = await newKey({ name: 'chatty', scopes: ['ask'] });
      expect((await bodyOf(await ask(key, 'How many vacation days do employees get?'))).outcome).toBe(
        'extractive',
      );
      // A program gets HTTP's answer: 429 with Retry-After until the minute's window ends, and the message.
      const refused = await ask(key, 'Do unused vacation days carry over?');
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      const limited = await bodyOf(refused);
      expect(limited.error.code).toBe('rate_limited');
      expect(limited.error.message).toMatch(/Try again/);
      expect(limited.error.details.retryAfterSeconds).toBe(wait);
    } finally {
      await admin.json('/api/settings', { method: 'PATCH', json: { userRatePerMinute: null } });
    }
  });

  it('stops an expired key with a 401 that says it expired', async () => {
    const { key, apiKey } = await newKey({ name: 'short-lived', expiresInDays: 1 });
    expect((await call(key, '/documents')).status).toBe(200);
    await timePasses(apiKey.id);
    const res = await call(key, '/documents');
    expect(res.status).toBe(401);
    const body = await bodyOf(res);
    expect(body.error.code).toBe('api_key_expired');
    expect(body.error.message).toMatch(/expired at \d{4}-\d\d-\d\dT/);
  });

  it('rotates: the new key works at once, the old one through the grace period and not after', async () => {
    const old = await newKey({ name: 'nightly sync', scopes: ['documents:read', 'ask'], expiresInDays: 90 });
    const res = await admin.json(`/api/api-keys/${old.apiKey.id}/rotate`, {
      method: 'POST',
      json: { graceHours: 24 },
    });
    expect(res.status).toBe(201);
    const fresh = res.body;
    expect(fresh.key).not.toBe(old.key);
    expect(fresh.apiKey).toMatchObject({ name: 'nightly sync', scopes: ['documents:read', 'ask'] });
    // Same lifetime, counted from the rotation.
    expect(Date.parse(fresh.apiKey.expiresAt)).toBeGreaterThan(Date.parse(old.apiKey.expiresAt) - 60_000);
    const rotated = await listed(old.apiKey.id);
    expect(rotated.replacedBy).toBe(fresh.apiKey.id);
    const graceLeft = Date.parse(rotated.expiresAt) - Date.now();
    expect(graceLeft).toBeGreaterThan(23.9 * 3_600_000);
    expect(graceLeft).toBeLessThanOrEqual(24 * 3_600_000);

    expect((await call(fresh.key, '/documents')).status).toBe(200);
    expect((await call(old.key, '/documents')).status).toBe(200);
    await timePasses(old.apiKey.id);
    expect((await call(old.key, '/documents')).status).toBe(401);
    expect((await call(fresh.key, '/documents')).status).toBe(200);

    // A rotated or revoked key cannot be rotated again.
    const again = await admin.json(`/api/api-keys/${old.apiKey.id}/rotate`, {
      method: 'POST',
      json: { graceHours: 1 },
    });
    expect(again.status).toBe(404);
    const audit = await app.container.db.pool.query(
      "SELECT actor, details FROM lore.audit_log WHERE action = 'api_key.rotated' AND target = $1",
      [old.apiKey.id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details).toMatchObject({ newKeyId: fresh.apiKey.id, graceHours: 24 });
    expect(JSON.stringify(audit.rows)).not.toContain(fresh.key);
  });

  it('a rotation with no grace period stops the old key at once', async () => {
    const old = await newKey({ name: 'leaked' });
    const res = await admin.json(`/api/api-keys/${old.apiKey.id}/rotate`, {
      method: 'POST',
      json: { graceHours: 0 },
    });
    expect(res.status).toBe(201);
    expect((await call(old.key, '/documents')).status).toBe(401);
    expect((await call(res.body.key, '/documents')).status).toBe(200);
  });

  it('the CLI creates keys with scopes and expiry, refuses unknown scopes, lists and rotates', async () => {
    const cli = (argv: string[]) => runCli(app, argv);
    const bad = await cli(['apikeys', 'create', '--tenant', 'demo', '--name', 'x', '--scopes', 'admin']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.output).toMatch(/scopes|Invalid option/i);
    const made = await cli([
      'apikeys',
      'create',
      '--tenant',
      'demo',
      '--name',
      'cli bot',
      '--scopes',
      'ask',
      '--expires-days',
      '30',
    ]);
    expect(made.exitCode).toBe(0);
    expect(made.output).toContain('cli bot');
    const key = /Key \(shown only now, store it safely\): (lore_\S+)/.exec(made.output)?.[1] ?? '';
    const id = /\(([0-9a-f-]{36})\)/.exec(made.output)?.[1] ?? '';
    expect((await ask(key, 'How many vacation days do employees get?')).status).toBe(200);
    const list = await cli(['apikeys', 'list', '--tenant', 'demo']);
    expect(list.output).toMatch(new RegExp(`${id}.*cli bot.*ask`));
    const rotated = await cli(['apikeys', 'rotate', '--tenant', 'demo', '--grace-hours', '0', id]);
    expect(rotated.exitCode).toBe(0);
    expect((await ask(key, 'How many vacation days do employees get?')).status).toBe(401);
    const fresh = /Key \(shown only now, store it safely\): (lore_\S+)/.exec(rotated.output)?.[1] ?? '';
    expect((await ask(fresh, 'How many vacation days do employees get?')).status).toBe(200);
  });
});
