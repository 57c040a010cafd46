import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { DEMO_TEAM_ID } from '../../src/tenants/demo/demo-tenant.js';
import { devSignIn, sessionFor } from '../support/dashboard.js';
import { bodyOf } from '../support/http.js';
import { testRedisUrl } from '../support/redis.js';
import { SLACK_ENV } from '../support/slack.js';
import { signedPost } from '../support/slack-answers.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '3',
  RATE_LIMIT_API_WRITES_PER_MINUTE: '4',
  RATE_LIMIT_API_UPLOADS_PER_MINUTE: '2',
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '40',
  RATE_LIMIT_ADMIN_CLI_PER_MINUTE: '2',
};

const redisUrl = testRedisUrl();
// Each run its own windows: QUEUE_NAME namespaces the rate-limit keys in a shared Redis.
const variants: Array<[string, Record<string, string>]> = [['in-memory store', {}]];
if (redisUrl)
  variants.push(['real Redis', { REDIS_URL: redisUrl, QUEUE_NAME: `lore-ops-${randomUUID().slice(0, 8)}` }]);

/** Asserts a refusal a client can act on: 429, Retry-After in seconds, and the JSON error naming it. */
async function expectRefused(res: Response, message: RegExp): Promise<void> {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = await bodyOf(res);
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(message);
  expect(body.error.message).toContain(`Try again in ${retryAfter} seconds`);
  expect(body.error.details).toEqual({ retryAfterSeconds: retryAfter, limit: expect.any(Number) });
}

const demoTenantId = async (app: TestApp) =>
  (
    await app.container.db.pool.query<{ id: string }>(
      'SELECT id FROM lore.tenants WHERE slack_team_id = $1',
      [DEMO_TEAM_ID],
    )
  ).rows[0]?.id as string;

const upload = (url: string, key: string, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([`# ${name}\n\nSome text about ${name}.`], { type: 'text/markdown' }), name);
  return fetch(`${url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
};

describe.each(variants)('HTTP rate limits (%s)', (_name, storeEnv) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ ...SLACK_ENV, ...LIMITS, ...storeEnv });
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  it('refuses sign-in and install starts past the limit per address, with Retry-After and a JSON error', async () => {
    const browser = await devSignIn(app.url);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${app.url}/auth/dev-sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
    }
    await expectRefused(
      await fetch(`${app.url}/auth/dev-sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      /Too many sign-in or install attempts from this address/,
    );
    // Install starts share the budget; a made-up X-Forwarded-For does not buy a new one (no TRUST_PROXY).
    await expectRefused(
      await fetch(`${app.url}/slack/install`, { redirect: 'manual' }),
      /sign-in or install/,
    );
    await expectRefused(
      await fetch(`${app.url}/slack/install`, {
        redirect: 'manual',
        headers: { 'x-forwarded-for': '203.0.113.7' },
      }),
      /sign-in or install/,
    );
    // Someone already signed in keeps reading their dashboard.
    expect((await browser.json('/api/session')).status).toBe(200);
  });

  it("never limits Slack's own deliveries to /slack/events, even from an address that is limited", async () => {
    for (let i = 0; i < 12; i++) {
      const res = await signedPost(
        app.url,
        JSON.stringify({ type: 'url_verification', challenge: `c${i}`, token: 't' }),
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`c${i}`);
    }
  });

  it('limits /api writes per session: the refused write changes nothing, reads and other sessions go on', async () => {
    // Sign-in is spent above: make the sessions the way a finished Sign in with Slack makes them.
    const tid = await demoTenantId(app);
    const alice = await sessionFor(app.url, app.container.db, { tenantId: tid, userId: 'UALICE' });
    const bob = await sessionFor(app.url, app.container.db, { tenantId: tid, userId: 'UBOB' });
    for (let i = 0; i < 4; i++) {
      expect(
        (await alice.json('/api/api-keys', { method: 'POST', json: { name: `alice ${i}` } })).status,
      ).toBe(201);
    }
    const refused = await alice.fetch('/api/api-keys', { method: 'POST', json: { name: 'alice 4' } });
    await expectRefused(refused, /Too many changes with this session or API key/);
    const keys = (await alice.json('/api/api-keys')).body.items as Array<{ name: string }>;
    expect(keys.map((k) => k.name)).not.toContain('alice 4');
    expect((await bob.json('/api/api-keys', { method: 'POST', json: { name: 'bob 0' } })).status).toBe(201);
  });

  it('limits document uploads per API key; another key of the same workspace still uploads', async () => {
    const tenantId = await demoTenantId(app);
    const keyA = (await createApiKey(app.container.db, tenantId, { name: 'sync A', actor: 'test' })).key;
    const keyB = (await createApiKey(app.container.db, tenantId, { name: 'sync B', actor: 'test' })).key;
    const countDocs = async () =>
      Number((await app.container.db.pool.query('SELECT count(*)::int AS n FROM lore.documents')).rows[0]?.n);
    expect((await upload(app.url, keyA, 'one.md')).status).toBe(202);
    expect((await upload(app.url, keyA, 'two.md')).status).toBe(202);
    const before = await countDocs();
    await expectRefused(await upload(app.url, keyA, 'three.md'), /Too many uploads with this API key/);
    expect(await countDocs()).toBe(before);
    expect((await upload(app.url, keyB, 'three.md')).status).toBe(202);
  });

  it('limits /admin/cli per address', async () => {
    const token = JSON.parse(await readFile(path.join(app.dataDir, 'server.json'), 'utf8')).token as string;
    const run = () =>
      fetch(`${app.url}/admin/cli`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-token': token },
        body: JSON.stringify({ argv: ['tenants', 'list'] }),
      });
    expect((await run()).status).toBe(200);
    expect((await run()).status).toBe(200);
    await expectRefused(await run(), /Too many operator commands from this address/);
  });

  it('counts refusals in /metrics by limit, never by client', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    for (const limit of ['sign_in', 'api_writes', 'api_uploads', 'admin_cli']) {
      expect(text).toMatch(new RegExp(`lore_http_rate_limited_total\\{limit="${limit}"\\} [1-9]`));
    }
  });
});

describe('HTTP rate limits behind a trusted proxy (TRUST_PROXY=1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ ...LIMITS, TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  it("counts each client address X-Forwarded-For names, so one client's limit is not another's", async () => {
    const start = (client: string) =>
      fetch(`${app.url}/slack/install`, { redirect: 'manual', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) expect((await start('198.51.100.1')).status).not.toBe(429);
    await expectRefused(await start('198.51.100.1'), /sign-in or install/);
    expect((await start('198.51.100.2')).status).not.toBe(429);
  });
});
