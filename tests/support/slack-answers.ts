import { Readable } from 'node:stream';
import nock from 'nock';
import { vi } from 'vitest';
import { addDocument } from '../../src/knowledge/document-intake.service.js';
import type { RunningApp } from '../../src/main.js';
import { buildInstallation } from './factories.js';
import { mockOpenAiEmbeddings } from './fake-embeddings.js';
import { SLACK_ENV, slackFixture, slackSignature } from './slack.js';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are JSON documents read as-is.
type Json = any;

/** Where OpenAI lives in these tests (nock). */
export const OPENAI = 'https://openai.test';
/** The real app with a Slack app and an OpenAI key configured (both faked over HTTP). */
export const ANSWER_ENV = { OPENAI_API_KEY: 'sk-test-platform', OPENAI_BASE_URL: `${OPENAI}/v1` };

/** A signed POST to /slack/events, as Slack sends it; every part can be spoiled for signature tests. */
export async function signedPost(
  baseUrl: string,
  body: string,
  opts: {
    contentType?: string;
    timestamp?: number;
    secret?: string;
    signature?: string | null;
    headers?: Record<string, string>;
    /** Where it is posted (default Slack's events path). */
    path?: string;
  } = {},
): Promise<Response> {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    opts.signature === undefined
      ? slackSignature(opts.secret ?? SLACK_ENV.SLACK_SIGNING_SECRET ?? '', timestamp, body)
      : opts.signature;
  return fetch(`${baseUrl}${opts.path ?? '/slack/events'}`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      'x-slack-request-timestamp': timestamp,
      ...(signature === null ? {} : { 'x-slack-signature': signature }),
      ...opts.headers,
    },
    body,
  });
}

/** A signed Events API delivery (JSON). */
export const postEvent = (baseUrl: string, payload: Json, headers: Record<string, string> = {}) =>
  signedPost(baseUrl, JSON.stringify(payload), { headers });

/** A signed interaction (block_actions, view_submission): form-encoded `payload=<JSON>`. */
export const postInteraction = (baseUrl: string, payload: Json) =>
  signedPost(baseUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), {
    contentType: 'application/x-www-form-urlencoded',
  });

/** A signed slash command (form-encoded fields, slash-command-request.json). */
export const postCommand = (baseUrl: string, fields: Record<string, string>) =>
  signedPost(baseUrl, new URLSearchParams(fields).toString(), {
    contentType: 'application/x-www-form-urlencoded',
  });

let counter = 0;
/** A unique Slack-looking id with a prefix (event ids, message timestamps). */
export const uniqueId = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}`.toUpperCase();
const uniqueTs = () =>
  `17000${String(Math.floor(Date.now() / 1000) % 100000).padStart(5, '0')}.${String(++counter).padStart(6, '0')}`;

/** An app_mention delivery (events-app-mention.json) for a workspace, with its own event id and ts. */
export function mentionEvent(
  w: Workspace,
  text: string,
  opts: { channel?: string; user?: string; threadTs?: string; ts?: string; eventId?: string } = {},
): Json {
  const p = structuredClone(slackFixture('events-app-mention').payload);
  p.team_id = w.teamId;
  p.authorizations[0].team_id = w.teamId;
  p.event_id = opts.eventId ?? uniqueId('Ev');
  p.event.text = `<@${w.botUserId}> ${text}`;
  p.event.user = opts.user ?? 'U061F7AUR';
  p.event.channel = opts.channel ?? 'C123ABC456';
  p.event.ts = opts.ts ?? uniqueTs();
  if (opts.threadTs) p.event.thread_ts = opts.threadTs;
  return p;
}

/** A message delivery (events-message-im.json): a DM by default, or a channel message with `channelType`. */
export function messageEvent(
  w: Workspace,
  text: string,
  opts: {
    channel?: string;
    channelType?: string;
    user?: string;
    threadTs?: string;
    ts?: string;
    extra?: Json;
  } = {},
): Json {
  const p = structuredClone(slackFixture('events-message-im').payload);
  p.team_id = w.teamId;
  p.authorizations[0].team_id = w.teamId;
  p.event_id = uniqueId('Ev');
  p.event.text = text;
  p.event.user = opts.user ?? 'U2147483697';
  p.event.channel = opts.channel ?? 'D024BE91L';
  p.event.channel_type = opts.channelType ?? 'im';
  p.event.ts = opts.ts ?? uniqueTs();
  p.event.event_ts = p.event.ts;
  if (opts.threadTs) p.event.thread_ts = opts.threadTs;
  Object.assign(p.event, opts.extra ?? {});
  return p;
}

/** An installed workspace in the running app. */
export interface Workspace {
  tenantId: string;
  teamId: string;
  botUserId: string;
  botId: string;
}

/** Installs a workspace the way the OAuth flow stores it (encrypted bot token, no installer DM). */
export async function installWorkspace(app: RunningApp, teamId: string): Promise<Workspace> {
  const botUserId = `UB${teamId.slice(1)}`;
  const botId = `BB${teamId.slice(1)}`;
  const { tenantId } = await app.container.tenants.installations.store(
    buildInstallation({
      teamId,
      appId: 'A123ABC456',
      bot: {
        token: `xoxb-test-${teamId}`,
        id: botId,
        userId: botUserId,
        scopes: ['app_mentions:read', 'chat:write'],
      },
      user: { id: '' },
    }),
  );
  return { tenantId, teamId, botUserId, botId };
}

/** Adds a Markdown document to a workspace and waits until the ingest job made it searchable. */
export async function addReadyDocument(
  app: RunningApp,
  tenantId: string,
  fileName: string,
  text: string,
): Promise<void> {
  const { db, blobs, queue } = app.container;
  const r = await addDocument({ db, blobs, queue }, tenantId, {
    fileName,
    body: Readable.from([Buffer.from(text)]),
    source: 'cli',
    actor: 'test',
  });
  await vi.waitFor(
    async () => {
      const { rows } = await db.pool.query('SELECT status FROM lore.documents WHERE id = $1', [
        r.document.id,
      ]);
      if (rows[0]?.status !== 'ready') throw new Error(`document is ${rows[0]?.status}`);
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** OpenAI's streamed chat completion (server-sent events) for `text`, with usage in the last chunk. */
export function sse(text: string, usage = { prompt_tokens: 300, completion_tokens: 20 }): string {
  const chunk = (content: string) =>
    `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const last = `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`;
  return `${text
    .split(/(?<= )/)
    .map(chunk)
    .join('')}${last}data: [DONE]\n\n`;
}

/** Fakes OpenAI: embeddings for every request, and chat completions answering `answer`; returns the prompts sent. */
export function fakeOpenAi(answer: string | (() => string)): { prompts: Json[][] } {
  mockOpenAiEmbeddings(`${OPENAI}/v1`);
  const prompts: Json[][] = [];
  nock(OPENAI)
    .persist()
    .post('/v1/chat/completions', (b: { messages: Json[] }) => {
      prompts.push(b.messages);
      return true;
    })
    .reply(200, () => sse(typeof answer === 'function' ? answer() : answer), {
      'content-type': 'text/event-stream',
    });
  return { prompts };
}

/** Rows of a tenant's table, read as the owner (test assertions only). */
export async function rowsOf(app: RunningApp, sql: string, params: unknown[] = []): Promise<Json[]> {
  return (await app.container.db.pool.query(sql, params)).rows;
}

/** Installs a workspace installed by `installer`: the admin who reaches the dashboard without asking Slack. */
export async function installWorkspaceBy(
  app: RunningApp,
  teamId: string,
  installer: string,
): Promise<Workspace> {
  const w = await installWorkspace(app, teamId);
  const record = await app.container.tenants.installations.findByTenant(w.tenantId);
  if (!record) throw new Error(`${teamId} is not installed`);
  await app.container.tenants.installations.store({
    ...record,
    user: { id: installer, scopes: [], tokens: null },
  });
  return w;
}
