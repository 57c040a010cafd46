import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// biome-ignore lint/suspicious/noExplicitAny: Slack request and reply bodies are JSON documents.
type Json = any;

/** One call Lore made: a Web API method (`chat.postMessage`, ...) or `response_url` for slash-command replies. */
export interface StandInCall {
  method: string;
  args: Json;
  at: number;
  /** What the stand-in answered (the `ts` of a started message, say). */
  result?: Json;
}

/** The one workspace the stand-in plays: who `auth.test` says the bot is, and what an install grants. */
export interface StandInWorkspace {
  teamId: string;
  teamName: string;
  botUserId: string;
  botId: string;
  installerId: string;
}

const DEMO_WORKSPACE: StandInWorkspace = {
  teamId: 'T0LOREDEMO',
  teamName: 'Demo workspace',
  botUserId: 'U0LOREBOT',
  botId: 'B0LOREBOT',
  installerId: 'U0INSTALLER',
};

/** A call the stand-in refused on purpose (see `refuseNext`): it did not happen, as at Slack. */
export interface RefusedCall {
  method: string;
  at: number;
  status: number;
  retryAfterSec?: number;
}

/** A local stand-in for Slack's Web API: point Lore's SLACK_API_URL at `apiUrl`. */
export interface SlackStandIn {
  apiUrl: string;
  /** A response_url Lore can POST slash-command replies to. */
  responseUrl(id: string): string;
  calls: StandInCall[];
  /**
   * Fault injection: the next `times` calls of `method` get HTTP `status` (429 sends Retry-After:
   * `retryAfterSec`, as Slack's rate limits do) and are not carried out.
   */
  refuseNext(method: string, fault: { times: number; status: number; retryAfterSec?: number }): void;
  /** The calls refused so far, in order. */
  refused: RefusedCall[];
  /** Emits 'call' with each StandInCall as it arrives. */
  events: EventEmitter;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parse(raw: string, contentType: string | undefined): Json {
  if (contentType?.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Starts a tiny Slack on loopback: answers the Web API methods Lore's answers use (chat.postMessage,
 * chat.update, chat.postEphemeral, chat.startStream/appendStream/stopStream, conversations.replies,
 * assistant.threads.*, views.*, users.info, auth.test, oauth.v2.access) like Slack does, records every call, and accepts
 * slash-command replies on /response/<id>. Unknown methods get `{ ok: true }`.
 */
export async function startSlackStandIn(
  opts: {
    port?: number;
    streaming?: boolean;
    workspace?: StandInWorkspace;
    /** Slack's rate limits, on: at most `perWindow[method]` calls per bot token in any `windowMs`. */
    rateLimits?: { windowMs: number; perWindow: Record<string, number> };
  } = {},
): Promise<SlackStandIn> {
  const ws = opts.workspace ?? DEMO_WORKSPACE;
  const calls: StandInCall[] = [];
  const events = new EventEmitter();
  const threads = new Map<string, Json[]>();
  const faults = new Map<string, { times: number; status: number; retryAfterSec?: number }>();
  const refused: RefusedCall[] = [];
  const recent = new Map<string, number[]>();
  let seq = 0;

  /** Seconds until the call may be made, as Slack's Retry-After, or undefined when it is within the limit. */
  const overLimit = (method: string, auth: string | undefined): number | undefined => {
    const limit = opts.rateLimits?.perWindow[method];
    if (!opts.rateLimits || limit === undefined || !auth) return undefined;
    const now = performance.now();
    const key = `${auth}:${method}`;
    const inWindow = (recent.get(key) ?? []).filter((at) => at > now - (opts.rateLimits?.windowMs ?? 0));
    recent.set(key, inWindow);
    if (inWindow.length >= limit)
      return Math.ceil(((inWindow[0] ?? now) + opts.rateLimits.windowMs - now) / 1000);
    inWindow.push(now);
    return undefined;
  };
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  const reply = (method: string, args: Json): Json => {
    switch (method) {
      case 'chat.startStream':
        if (opts.streaming === false) return { ok: false, error: 'unknown_method' };
        return { ok: true, channel: args.channel, ts: nextTs() };
      case 'chat.postMessage': {
        const ts = nextTs();
        const key = `${args.channel}:${args.thread_ts ?? ts}`;
        threads.set(key, [
          ...(threads.get(key) ?? []),
          { ts, text: args.text, bot_id: 'B0LOREBOT', user: 'U0LOREBOT' },
        ]);
        return { ok: true, channel: args.channel, ts, message: { text: args.text, ts } };
      }
      case 'chat.update':
      case 'chat.appendStream':
      case 'chat.stopStream':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.replies':
        return { ok: true, messages: threads.get(`${args.channel}:${args.ts}`) ?? [], has_more: false };
      case 'users.info':
        return { ok: true, user: { id: args.user, is_admin: true, is_owner: false, deleted: false } };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: 'V0STANDIN' } };
      case 'auth.test':
        return { ok: true, team_id: ws.teamId, team: ws.teamName, user_id: ws.botUserId, bot_id: ws.botId };
      case 'oauth.v2.access':
        // The code exchange of "Add to Slack": any code installs the stand-in's one workspace.
        return {
          ok: true,
          access_token: `xoxb-standin-${ws.teamId}`,
          token_type: 'bot',
          scope: 'app_mentions:read,chat:write,im:history,commands',
          bot_user_id: ws.botUserId,
          app_id: 'A0STANDIN',
          team: { id: ws.teamId, name: ws.teamName },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: ws.installerId, scope: '', token_type: 'user' },
        };
      default:
        return { ok: true };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const args = parse(raw, req.headers['content-type']);
      const method = path.startsWith('/response/') ? 'response_url' : path.slice(path.lastIndexOf('/') + 1);
      const retryAfter = overLimit(method, req.headers.authorization);
      const fault =
        retryAfter === undefined
          ? faults.get(method)
          : { times: 1, status: 429, retryAfterSec: Math.max(1, retryAfter) };
      if (fault && fault.times > 0) {
        fault.times--;
        refused.push({
          method,
          at: performance.now(),
          status: fault.status,
          retryAfterSec: fault.retryAfterSec,
        });
        res.statusCode = fault.status;
        if (fault.retryAfterSec !== undefined) res.setHeader('retry-after', String(fault.retryAfterSec));
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }),
        );
        return;
      }
      const result = method === 'response_url' ? { ok: true } : reply(method, args);
      const call: StandInCall = { method, args, at: performance.now(), result };
      calls.push(call);
      events.emit('call', call);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    })().catch(() => {
      res.statusCode = 400;
      res.end('{"ok":false,"error":"invalid_request"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    calls,
    refuseNext: (method, fault) => void faults.set(method, { ...fault }),
    refused,
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
