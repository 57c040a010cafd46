import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningApp, startApp } from '../../src/main.js';
import { databaseForTestApp } from './test-db.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are JSON documents read as-is.
type Json = any;

/** A fixture from tests/fixtures/slack (copied from Slack's docs and SDK test suites). */
export function slackFixture(name: string): Json {
  return JSON.parse(readFileSync(path.resolve('tests/fixtures/slack', `${name}.json`), 'utf8'));
}

const signing = slackFixture('signing-example');
const oauthArgs = slackFixture('oauth-v2-access-success').request.documentedArgumentExamples;

/** Where the Slack Web API lives in tests (nock intercepts it; nothing else may leave the machine). */
export const SLACK_API = 'https://slack.test';
export const SLACK_API_URL = `${SLACK_API}/api/`;

/** A configured Slack app: the documented example client id/secret and signing secret. */
export const SLACK_ENV: Record<string, string> = {
  SLACK_CLIENT_ID: oauthArgs.client_id,
  SLACK_CLIENT_SECRET: oauthArgs.client_secret,
  SLACK_SIGNING_SECRET: signing.signingSecret,
  SLACK_STATE_SECRET: 'test-state-secret',
  SLACK_API_URL,
  PUBLIC_URL: 'https://lore.example.test',
};

/** Slack's request signature: v0= + HMAC-SHA256(secret, `v0:{ts}:{body}`) (signing-example.json). */
export function slackSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Posts a signed Events API payload to /slack/events, as Slack would. */
export async function postSlackEvent(
  baseUrl: string,
  payload: unknown,
  secret = SLACK_ENV.SLACK_SIGNING_SECRET ?? '',
): Promise<Response> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  });
}

/** The app_mention fixture addressed to a team (routing reads authorizations[0] first). */
export function appMentionFor(
  ids: { teamId?: string | null; enterpriseId?: string | null; isEnterpriseInstall?: boolean },
  eventId = `Ev${Math.random().toString(36).slice(2, 10)}`,
): Json {
  const payload = structuredClone(slackFixture('events-app-mention').payload);
  payload.team_id = ids.teamId ?? 'T111AAA111';
  payload.event_id = eventId;
  payload.authorizations[0].team_id = ids.teamId ?? null;
  payload.authorizations[0].enterprise_id = ids.enterpriseId ?? null;
  payload.authorizations[0].is_enterprise_install = Boolean(ids.isEnterpriseInstall);
  return payload;
}

/** The first browser step: GET /slack/install; returns the state cookie and Slack's authorize URL. */
export async function startInstall(
  baseUrl: string,
): Promise<{ cookie: string; state: string; authorizeUrl: URL; html: string; status: number }> {
  const res = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
  const html = await res.text();
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('slack-app-oauth-state=')) ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  const href =
    /href="(https:\/\/slack\.com\/oauth\/v2\/authorize[^"]+)"/.exec(html)?.[1] ??
    res.headers.get('location') ??
    '';
  const authorizeUrl = new URL(href.replaceAll('&amp;', '&') || 'https://invalid.test');
  return {
    cookie,
    state: authorizeUrl.searchParams.get('state') ?? '',
    authorizeUrl,
    html,
    status: res.status,
  };
}

/** The browser's return from Slack: GET /slack/oauth_redirect with the code, the state and the cookie. */
export async function finishInstall(
  baseUrl: string,
  opts: { code?: string; state: string; cookie?: string; error?: string },
): Promise<{ status: number; html: string }> {
  const params = new URLSearchParams();
  if (opts.code) params.set('code', opts.code);
  if (opts.error) params.set('error', opts.error);
  params.set('state', opts.state);
  const res = await fetch(`${baseUrl}/slack/oauth_redirect?${params}`, {
    headers: opts.cookie ? { cookie: opts.cookie } : {},
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
}

/** Fakes oauth.v2.access (the code exchange) once with `reply`; returns a counter of calls. */
export function nockOAuthAccess(reply: Json | Error): { calls: () => number; bodies: string[] } {
  const bodies: string[] = [];
  const scope = nock(SLACK_API).post('/api/oauth.v2.access', (b) => {
    bodies.push(typeof b === 'string' ? b : new URLSearchParams(b).toString());
    return true;
  });
  if (reply instanceof Error) scope.replyWithError(reply.message);
  else scope.reply(200, reply);
  return { calls: () => bodies.length, bodies };
}

/** Fakes auth.test (Bolt's installer calls it with the new bot token) for the rest of the test. */
export function nockAuthTest(reply: Json = slackFixture('auth-test-response').botToken.payload): void {
  nock(SLACK_API).post('/api/auth.test').reply(200, reply).persist();
}

/** Fakes chat.postMessage for the rest of the test; returns the request bodies it received. */
export function nockPostMessage(): Array<Record<string, string>> {
  const bodies: Array<Record<string, string>> = [];
  nock(SLACK_API)
    .post('/api/chat.postMessage', (b) => {
      bodies.push(b as Record<string, string>);
      return true;
    })
    .reply(200, slackFixture('chat-postMessage-response').success.payload)
    .persist();
  return bodies;
}

/** Every log line the app writes, as text (for "no token ever reaches a log" checks). */
export interface LogCapture {
  text(): string;
}

/** The real app with a configured Slack app, logging at debug into a buffer the test can read. */
export async function startSlackTestApp(
  env: Record<string, string> = {},
): Promise<RunningApp & { logs: LogCapture; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-slack-test-'));
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', ...SLACK_ENV, ...env });
  // A migrated PGlite, or on a native run (TEST_DATABASE_URL) a fresh native database.
  const database = await databaseForTestApp(env, config.dataDir, {});
  const running = await startApp(config, createLogger({ level: 'debug', destination }), {
    database,
  }).catch(async (err: unknown) => {
    await database?.close().catch(() => {});
    throw err;
  });
  return {
    ...running,
    logs: { text: () => chunks.join('') },
    async cleanup() {
      // A stop that hangs says why: the app's last log lines (debug level) go to stderr after 30 s.
      const slow = setTimeout(() => {
        process.stderr.write(
          `app still stopping after 30 s; its last log lines:\n${chunks.slice(-40).join('')}`,
        );
      }, 30_000);
      await running.stop().catch(() => {});
      clearTimeout(slow);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
