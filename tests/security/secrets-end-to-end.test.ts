import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserWith, cookieFrom } from '../support/dashboard.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import { bodyOf } from '../support/http.js';
import { testRedisUrl } from '../support/redis.js';
import { SLACK_API, SLACK_ENV, slackFixture, slackSignature, startSlackTestApp } from '../support/slack.js';
import { OPENAI, sse } from '../support/slack-answers.js';
import {
  captureProcessOutput,
  dumpDatabase,
  dumpRedis,
  leaksOf,
  type Place,
  type Secret,
} from './support/secret-search.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack and OpenAI bodies are JSON documents.
type Json = any;
type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const rand = (bytes = 18) => randomBytes(bytes).toString('base64url');
const TEAM = 'TSECRETS1';
const INSTALLER = 'USECRET01';
const BOT_USER = 'UBOTSECR1';

// Every secret is fresh and unique, so a hit can only mean Lore copied it somewhere.
const encryptionKey = randomBytes(32);
const secrets = {
  signingSecret: rand(24),
  clientSecret: rand(24),
  stateSecret: rand(24),
  verificationToken: `vt${rand()}`,
  platformOpenAiKey: `sk-platform-${rand()}`,
  tenantOpenAiKey: `sk-tenant-${rand()}`,
  rejectedOpenAiKey: `sk-rejected-${rand()}`,
  botToken: `xoxe.xoxb-1-${rand()}`,
  botRefreshToken: `xoxe-1-bot-${rand()}`,
  userToken: `xoxe.xoxp-1-${rand()}`,
  userRefreshToken: `xoxe-1-user-${rand()}`,
  installCode: `install-code-${rand()}`,
  signInCode: `sign-in-code-${rand()}`,
  signInAccessToken: `xoxp-openid-${rand()}`,
  metricsToken: rand(24),
};

// With a real Redis (CI), the queue and the key-value store live there, and their keys are searched too.
const redisUrl = testRedisUrl();
const queueName = `lore-secrets-${randomBytes(6).toString('hex')}`;
const ENV = {
  ...SLACK_ENV,
  ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_NAME: queueName } : {}),
  SLACK_SIGNING_SECRET: secrets.signingSecret,
  SLACK_CLIENT_SECRET: secrets.clientSecret,
  SLACK_STATE_SECRET: secrets.stateSecret,
  ENCRYPTION_KEYS: `e2e:${encryptionKey.toString('base64')}`,
  OPENAI_API_KEY: secrets.platformOpenAiKey,
  OPENAI_BASE_URL: `${OPENAI}/v1`,
  METRICS_TOKEN: secrets.metricsToken,
  LOG_LEVEL: 'debug',
};

/** Slack's Web API for this workspace: the install exchange, sign-in, roles, and every message call. */
function fakeSlack(signInNonce: () => string, calls: string[]): void {
  const oidc = slackFixture('openid-connect');
  const install = structuredClone(slackFixture('oauth-v2-access-success').withTokenRotation.payload);
  Object.assign(install, {
    access_token: secrets.botToken,
    refresh_token: secrets.botRefreshToken,
    bot_user_id: BOT_USER,
    team: { id: TEAM, name: 'Secrets Inc' },
    enterprise: null,
    scope: 'app_mentions:read,chat:write,commands,users:read',
  });
  Object.assign(install.authed_user, {
    id: INSTALLER,
    access_token: secrets.userToken,
    refresh_token: secrets.userRefreshToken,
  });
  let ts = 0;
  nock(SLACK_API)
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply((uri, body) => {
      const method = uri.slice(uri.lastIndexOf('/') + 1);
      const args: Json =
        typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body ?? {});
      calls.push(method);
      const claims = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      switch (method) {
        case 'oauth.v2.access':
          return [200, args.code === secrets.installCode ? install : { ok: false, error: 'invalid_code' }];
        case 'openid.connect.token':
          return [
            200,
            {
              ...oidc.token.payload,
              access_token: secrets.signInAccessToken,
              id_token: `${claims({ alg: 'RS256' })}.${claims({
                ...oidc.idTokenClaims,
                nonce: signInNonce(),
                aud: SLACK_ENV.SLACK_CLIENT_ID,
                exp: Math.floor(Date.now() / 1000) + 300,
                sub: INSTALLER,
                'https://slack.com/user_id': INSTALLER,
                'https://slack.com/team_id': TEAM,
              })}.c2ln`,
            },
          ];
        case 'openid.connect.userInfo':
          return [
            200,
            { ...oidc.userInfo.payload, name: 'Installer', 'https://slack.com/team_name': 'Secrets' },
          ];
        case 'auth.test':
          return [200, { ok: true, team_id: TEAM, user_id: BOT_USER, bot_id: 'BSECRET01', team: 'Secrets' }];
        case 'users.info':
          return [
            200,
            { ok: true, user: { id: args.user, is_admin: true, is_owner: false, deleted: false } },
          ];
        case 'conversations.replies':
          return [200, { ok: true, messages: [], has_more: false }];
        case 'chat.postEphemeral':
          return [200, { ok: true, message_ts: `1800000000.${++ts}` }];
        default:
          return [200, { ok: true, channel: args.channel ?? 'C1', ts: args.ts ?? `1800000000.${++ts}` }];
      }
    });
}

/** OpenAI: the key check, embeddings and chat; records which key each call carried. */
function fakeOpenAi(keysUsed: string[]): void {
  const keyOf = (req: { headers: Record<string, unknown> }) =>
    String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  nock(OPENAI)
    .persist()
    .get('/v1/models')
    .reply(function () {
      const key = keyOf(this.req);
      keysUsed.push(key);
      // OpenAI's documented 401 names the key it was given: Lore must not pass that text on.
      if (key === secrets.rejectedOpenAiKey)
        return [
          401,
          {
            error: {
              message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          },
        ];
      return [200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] }];
    });
  nock(OPENAI)
    .persist()
    .post('/v1/embeddings')
    .reply(function (_uri, body) {
      keysUsed.push(keyOf(this.req));
      const req = body as { model: string; input: string[]; encoding_format?: string };
      const inputs = Array.isArray(req.input) ? req.input : [req.input];
      return [
        200,
        {
          object: 'list',
          model: req.model,
          data: inputs.map((text, index) => ({
            object: 'embedding',
            index,
            embedding:
              req.encoding_format === 'base64'
                ? Buffer.from(new Float32Array(fakeEmbedding(text)).buffer).toString('base64')
                : fakeEmbedding(text),
          })),
          usage: { prompt_tokens: 10, total_tokens: 10 },
        },
      ];
    });
  nock(OPENAI)
    .persist()
    .post('/v1/chat/completions')
    .reply(function () {
      keysUsed.push(keyOf(this.req));
      return [
        200,
        sse('Expenses are reimbursed within 14 days [1].'),
        { 'content-type': 'text/event-stream' },
      ];
    });
}

describe('secrets end to end: install → sign in → upload → ask → uninstall at debug level', () => {
  let app: App;
  let output: ReturnType<typeof captureProcessOutput>;
  // The setup file clears nock after every test: the fakes are set up again before each, recording here.
  const slack = { calls: [] as string[] };
  const openai = { keysUsed: [] as string[] };
  let nonce = '';
  /** Secrets Lore made during the run (state, session id, API key, …), added as they appear. */
  const issued: Secret[] = [];
  /** Every error response body (status 400 and up) Lore returned. */
  const errorBodies: Place[] = [];
  const places: Place[] = [];

  /** fetch against the app, keeping every error body for the search. */
  async function call(pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(`${app.url}${pathAndQuery}`, { redirect: 'manual', ...init });
    if (res.status >= 400) {
      const text = await res.clone().text();
      errorBodies.push({ name: `error body of ${init.method ?? 'GET'} ${pathAndQuery.split('?')[0]}`, text });
    }
    return res;
  }

  /** A signed Slack delivery with the legacy verification token in it, as Slack still sends. */
  function signedEvent(payload: Json): Promise<Response> {
    const body = JSON.stringify({ ...payload, token: secrets.verificationToken });
    const timestamp = String(Math.floor(Date.now() / 1000));
    return call('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': slackSignature(secrets.signingSecret, timestamp, body),
      },
      body,
    });
  }

  const db = () => app.container.db.pool;
  const tenantStatus = async () =>
    (await db().query('SELECT status FROM lore.tenants WHERE slack_team_id = $1', [TEAM])).rows[0]?.status;

  beforeAll(async () => {
    output = captureProcessOutput();
    app = await startSlackTestApp(ENV);
    // The embedded-mode operator token of /admin/cli is a secret too.
    const handle = JSON.parse(await readFile(path.join(app.container.config.dataDir, 'server.json'), 'utf8'));
    issued.push({ name: 'admin CLI token', value: handle.token });
  });
  beforeEach(() => {
    fakeSlack(() => nonce, slack.calls);
    fakeOpenAi(openai.keysUsed);
  });
  afterAll(async () => {
    await app?.cleanup();
    output?.restore();
  });

  it('installs through OAuth (a replayed code and state are refused)', async () => {
    const start = await call('/slack/install');
    const html = await start.text();
    const href = /href="(https:\/\/slack\.com\/oauth\/v2\/authorize[^"]+)"/.exec(html)?.[1] ?? '';
    const state = new URL(href.replaceAll('&amp;', '&')).searchParams.get('state') ?? '';
    const stateCookie = cookieFrom(start, 'slack-app-oauth-state') ?? '';
    issued.push({ name: 'install OAuth state', value: state });
    const back = `/slack/oauth_redirect?code=${secrets.installCode}&state=${encodeURIComponent(state)}`;
    const done = await call(back, { headers: { cookie: stateCookie } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Lore is installed');
    // Replayed: the state is single-use, and the page must not echo what it was given.
    expect((await call(back, { headers: { cookie: stateCookie } })).status).toBeGreaterThanOrEqual(400);
    expect(await tenantStatus()).toBe('active');
  });

  it('signs in with Slack, saves the workspace OpenAI key (a rejected one is refused) and makes an API key', async () => {
    const start = await call('/auth/slack/login', {});
    const authorize = new URL(start.headers.get('location') ?? 'https://invalid.test');
    const state = authorize.searchParams.get('state') ?? '';
    nonce = authorize.searchParams.get('nonce') ?? '';
    const binding = cookieFrom(start, 'lore_signin') ?? '';
    issued.push(
      { name: 'sign-in state', value: state },
      { name: 'sign-in nonce', value: nonce },
      { name: 'sign-in binding cookie', value: binding.split('=')[1] ?? '' },
    );
    const back = await call(`/auth/slack/callback?code=${secrets.signInCode}&state=${state}`, {
      headers: { cookie: binding },
    });
    const session = cookieFrom(back, 'lore_session') ?? '';
    expect(session, `callback answered ${back.status} ${back.headers.get('location')}`).toMatch(
      /^lore_session=.{20,}/,
    );
    issued.push({ name: 'session id', value: session.split('=')[1] ?? '' });
    const browser = await browserWith(app.url, session);
    issued.push({ name: 'CSRF token', value: browser.csrf });

    const rejected = await browser.fetch('/api/settings/openai-key', {
      method: 'PUT',
      json: { key: secrets.rejectedOpenAiKey },
    });
    expect(rejected.status).toBe(422);
    errorBodies.push({ name: 'error body of PUT /api/settings/openai-key', text: await rejected.text() });
    const saved = await browser.fetch('/api/settings/openai-key', {
      method: 'PUT',
      json: { key: secrets.tenantOpenAiKey },
    });
    expect(saved.status).toBe(200);

    const created = await browser.json('/api/api-keys', { method: 'POST', json: { name: 'sync' } });
    expect(created.status).toBe(201);
    issued.push({ name: 'API key', value: created.body.key });
  });

  it('uploads with the API key (a wrong key is a 401) and the workspace key embeds it', async () => {
    const apiKey = issued.find((s) => s.name === 'API key')?.value ?? '';
    const form = new FormData();
    form.append(
      'file',
      new Blob(['# Expenses\n\nExpenses are reimbursed within 14 days of the receipt being filed.\n']),
      'expenses.md',
    );
    const wrong = await call('/api/documents', {
      headers: { authorization: `Bearer ${apiKey}x` },
    });
    expect(wrong.status).toBe(401);
    const res = await call('/api/documents', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    expect(res.status).toBe(202);
    const id = (await bodyOf(res)).results[0].document.id as string;
    await vi.waitFor(
      async () => {
        const doc = await bodyOf(
          await call(`/api/documents/${id}`, { headers: { authorization: `Bearer ${apiKey}` } }),
        );
        expect(doc.document.status, JSON.stringify(doc.document)).toBe('ready');
      },
      { timeout: 80_000, interval: 100 },
    );
    expect(openai.keysUsed).toContain(secrets.tenantOpenAiKey);
    // Reading starts a reader thread, which takes seconds on a busy machine.
  }, 90_000);

  it('answers a signed mention with the workspace OpenAI key, never the platform one', async () => {
    // Every document of every workspace ingested first: the sample document added at install has a job of its
    // own (the ingest lane runs two at once), and so does the embedded demo workspace's, made at boot and paid
    // by the platform key. On a busy machine either embedding call could still land in the window below
    // (the workspace's own: CI, native, 2026-12-04; the demo's: a full local run, 2026-12-05).
    await vi.waitFor(
      async () => {
        const { rows } = await db().query(
          "SELECT d.tenant_id, d.source_kind, d.status FROM lore.documents d WHERE d.status NOT IN ('ready', 'failed')",
        );
        expect(rows).toEqual([]);
      },
      { timeout: 60_000, interval: 100 },
    );
    const before = openai.keysUsed.length;
    const event = structuredClone(slackFixture('events-app-mention').payload);
    event.team_id = TEAM;
    event.api_app_id = 'A0KRD7HC3';
    event.authorizations = [
      { ...event.authorizations[0], team_id: TEAM, enterprise_id: null, user_id: BOT_USER },
    ];
    event.event_id = `Ev${rand(6)}`;
    event.event.text = `<@${BOT_USER}> how fast are expenses reimbursed?`;
    event.event.ts = `1800000100.${String(Date.now()).slice(-6)}`;
    const res = await signedEvent(event);
    expect(res.status).toBe(200);
    await vi.waitFor(
      async () => {
        // Finished, not just started: the row exists as 'pending' from the moment the job claims the event.
        const { rows } = await db().query(
          "SELECT count(*)::int AS n FROM lore.answers a JOIN lore.tenants t ON t.id = a.tenant_id WHERE t.slack_team_id = $1 AND a.outcome <> 'pending'",
          [TEAM],
        );
        expect(rows[0].n).toBe(1);
      },
      { timeout: 20_000, interval: 100 },
    );
    const chatKeys = openai.keysUsed.slice(before);
    expect(chatKeys.length).toBeGreaterThan(0);
    expect(new Set(chatKeys)).toEqual(new Set([secrets.tenantOpenAiKey]));
    expect(slack.calls.some((m) => m.startsWith('chat.'))).toBe(true);
    // An unsigned delivery and /metrics without its token: refused, without echoing anything.
    expect((await call('/slack/events', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await call('/metrics', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    places.push(...(await dumpDatabase(app.container.db, 'database while installed:')));
    if (redisUrl) places.push(...(await dumpRedis(redisUrl, 'redis while installed:')));
  });

  it('uninstalls (tokens_revoked, then app_uninstalled)', async () => {
    const revoked = structuredClone(slackFixture('events-tokens-revoked').payload);
    revoked.team_id = TEAM;
    revoked.event.tokens = { oauth: [INSTALLER], bot: [] };
    revoked.event_id = `Ev${rand(6)}`;
    revoked.event_time = Math.floor(Date.now() / 1000);
    expect((await signedEvent(revoked)).status).toBe(200);
    const gone = structuredClone(slackFixture('events-app-uninstalled').payload);
    gone.team_id = TEAM;
    gone.authorizations[0].team_id = TEAM;
    gone.event_id = `Ev${rand(6)}`;
    gone.event_time = Math.floor(Date.now() / 1000) + 1;
    expect((await signedEvent(gone)).status).toBe(200);
    await vi.waitFor(async () => expect(await tenantStatus()).toBe('inactive'), { timeout: 10_000 });
    places.push(...(await dumpDatabase(app.container.db, 'database after uninstall:')));
    if (redisUrl) places.push(...(await dumpRedis(redisUrl, 'redis after uninstall:')));
  });

  it('no secret it used is in any log line, error body or database row', () => {
    const logs = app.logs.text();
    // The search means something only if debug logging ran through every step.
    expect(logs.split('\n').length).toBeGreaterThan(50);
    expect(logs).toContain('"level":20');
    expect(logs).toContain('installation stored');
    const tables = places.filter((p) => p.text.length > 0).map((p) => p.name);
    expect(tables.join('\n')).toMatch(/lore\.installations/);
    expect(tables.join('\n')).toMatch(/lore\.dashboard_sessions/);
    expect(errorBodies.length).toBeGreaterThanOrEqual(5);
    // With Redis, this run's queue is among the keys searched.
    if (redisUrl) expect(places.some((p) => p.name.includes(queueName))).toBe(true);
    // And the dump holds what Lore stored: the document's passages, the answer.
    const stored = places.map((p) => p.text).join('\n');
    expect(stored).toContain('reimbursed within 14 days of the receipt');
    expect(stored).toContain('Expenses are reimbursed within 14 days');

    const all: Secret[] = [
      ...Object.entries(secrets).map(([name, value]) => ({ name, value })),
      { name: 'encryption key (base64)', value: encryptionKey.toString('base64') },
      { name: 'encryption key (base64url)', value: encryptionKey.toString('base64url') },
      { name: 'encryption key (hex)', value: encryptionKey.toString('hex') },
      ...issued,
    ];
    const logPlaces = [
      { name: 'the app log', text: logs },
      { name: "the process's stdout/stderr", text: output.text() },
    ];
    // The CSRF token is kept in the clear beside the session's hash (GET /api/session hands it to the page):
    // it only proves a request came from a page that read it, and is useless without the session cookie.
    const atRest = all.filter((s) => s.name !== 'CSRF token');
    const leaks = [...leaksOf(all, [...logPlaces, ...errorBodies]), ...leaksOf(atRest, places)];
    expect(leaks).toEqual([]);
  });
});
