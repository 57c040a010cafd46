import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { signInRoutes } from '../../src/http/routes/auth/sign-in.routes.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { browserWith, cookieFrom, devSignIn, sessionFor } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import { bodyOf } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('dashboard sessions: dev sign-in, cookies, CSRF, sign out, sign out everywhere', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.cleanup());

  it('dev sign-in opens the demo workspace as an admin and operator, with an httpOnly SameSite=Lax cookie', async () => {
    const options = await bodyOf(await fetch(`${app.url}/auth/options`));
    expect(options).toEqual({ slackSignIn: false, devSignIn: true });
    const res = await fetch(`${app.url}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('lore_session=')) ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // PUBLIC_URL is http here: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/i);
    const browser = await browserWith(app.url, cookieFrom(res, 'lore_session') ?? '');
    const { body } = await browser.json('/api/session');
    expect(body).toMatchObject({
      user: { name: 'Dev admin', isPlatformAdmin: true },
      workspace: { name: 'Demo workspace', isDemo: true, status: 'active' },
    });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a dev sign-in sent as a form (a cross-site page cannot trigger it): 404', async () => {
    const res = await fetch(`${app.url}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(res.status).toBe(404);
  });

  it('answers 401 to /api without a cookie or key, and to a forged or unknown session cookie', async () => {
    expect((await fetch(`${app.url}/api/session`)).status).toBe(401);
    const forged = await fetch(`${app.url}/api/overview`, {
      headers: { cookie: 'lore_session=forged-value' },
    });
    expect(forged.status).toBe(401);
    expect((await bodyOf(forged)).error.code).toBe('unauthorized');
  });

  it('requires the CSRF token on every write from a session: none or a wrong one is 403, the right one works', async () => {
    const browser = await devSignIn(app.url);
    const none = await browser.json('/api/api-keys', { method: 'POST', json: { name: 'sync' }, csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('csrf_failed');
    const wrong = await browser.json('/api/api-keys', {
      method: 'POST',
      json: { name: 'sync' },
      csrf: 'x'.repeat(32),
    });
    expect(wrong.status).toBe(403);
    const del = await browser.json('/api/documents/00000000-0000-4000-8000-000000000000', {
      method: 'DELETE',
      csrf: false,
    });
    expect(del.status).toBe(403);
    const ok = await browser.json('/api/api-keys', { method: 'POST', json: { name: 'sync' } });
    expect(ok.status).toBe(201);
    // Reads need no token.
    expect((await browser.json('/api/api-keys')).status).toBe(200);
  });

  it('does not ask an API key for a CSRF token (it is not a cookie), but keeps keys to documents', async () => {
    const tenantId = (
      await browserWith(app.url, (await devSignIn(app.url)).cookie).then((b) => b.json('/api/session'))
    ).body.workspace.tenantId;
    const { key } = await createApiKey(app.container.db, tenantId, { name: 'ci', actor: 'test' });
    const auth = { authorization: `Bearer ${key}` };
    const docs = await fetch(`${app.url}/api/documents`, { headers: auth });
    expect(docs.status).toBe(200);
    const reindex = await fetch(`${app.url}/api/documents/reindex`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reindex.status).toBe(202);
    const settings = await fetch(`${app.url}/api/settings`, { headers: auth });
    expect(settings.status).toBe(403);
    const platform = await fetch(`${app.url}/api/platform/summary`, { headers: auth });
    expect(platform.status).toBe(403);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const browser = await devSignIn(app.url);
    const out = await browser.fetch('/api/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/lore_session=;.*Expires=Thu, 01 Jan 1970/i);
    expect((await browser.json('/api/session')).status).toBe(401);
  });

  it("signs out everywhere: every session of that user ends, other people's stay", async () => {
    const other = (await createTenant(app.container.db, { slackTeamId: 'TSESSION01', name: 'Session Co' }))
      .id;
    const laptop = await sessionFor(app.url, app.container.db, { tenantId: other, userId: 'UEVERYWHERE' });
    const phone = await sessionFor(app.url, app.container.db, { tenantId: other, userId: 'UEVERYWHERE' });
    const colleague = await sessionFor(app.url, app.container.db, { tenantId: other, userId: 'UCOLLEAGUE' });
    const res = await laptop.json('/api/session/revoke-all', { method: 'POST' });
    expect(res).toMatchObject({ status: 200, body: { revoked: 2 } });
    expect((await phone.json('/api/session')).status).toBe(401);
    expect((await laptop.json('/api/session')).status).toBe(401);
    expect((await colleague.json('/api/session')).status).toBe(200);
  });

  it('stores only a hash of the session id', async () => {
    const browser = await devSignIn(app.url);
    const raw = browser.cookie.split('=')[1] ?? '';
    const { rows } = await app.container.db.pool.query('SELECT id_hash FROM lore.dashboard_sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r: { id_hash: string }) => r.id_hash === raw)).toBe(false);
  });
});

describe('dev sign-in outside embedded development', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  async function serve(config: { embedded: boolean; isProduction: boolean }): Promise<string> {
    const app = createHttpApp({
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics(),
      readiness: [],
      isShuttingDown: () => false,
      routers: [
        signInRoutes({
          // The database is never reached: the route must not exist at all.
          db: undefined as never,
          kv: createMemoryStore(),
          config: { ...config, publicUrl: 'https://lore.example.test', platformAdmins: [] },
          signIn: undefined,
          roleOf: async () => ({ isAdmin: false, isOwner: false }),
        }),
      ],
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, () => resolve(s));
    });
    servers.push(server);
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  it.each([
    ['production', { embedded: true, isProduction: true }],
    ['a real database', { embedded: false, isProduction: false }],
  ])('is refused with a 404 with %s, and not offered', async (_name, config) => {
    const url = await serve(config);
    const res = await fetch(`${url}/auth/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect((await bodyOf(await fetch(`${url}/auth/options`))).devSignIn).toBe(false);
  });
});
