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
}

/** A local stand-in for Slack's Web API: point Lore's SLACK_API_URL at `apiUrl`. */
export interface SlackStandIn {
  apiUrl: string;
  /** A response_url Lore can POST slash-command replies to. */
  responseUrl(id: string): string;
  calls: StandInCall[];
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
 * assistant.threads.*, views.*, users.info, auth.test) like Slack does, records every call, and accepts
 * slash-command replies on /response/<id>. Unknown methods get `{ ok: true }`.
 */
export async function startSlackStandIn(
  opts: { port?: number; streaming?: boolean } = {},
): Promise<SlackStandIn> {
  const calls: StandInCall[] = [];
  const events = new EventEmitter();
  const threads = new Map<string, Json[]>();
  let seq = 0;
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
        return { ok: true, team_id: 'T0LOREDEMO', user_id: 'U0LOREBOT', bot_id: 'B0LOREBOT' };
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
      const call = { method, args, at: performance.now() };
      calls.push(call);
      events.emit('call', call);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(method === 'response_url' ? { ok: true } : reply(method, args)));
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
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
