import nock from 'nock';
import { SLACK_API, slackFixture } from './slack.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack request and reply bodies are JSON documents.
type Json = any;

/** One Web API call the app made: the method and its arguments (JSON-encoded fields decoded). */
export interface SlackCall {
  method: string;
  args: Json;
}

export interface FakeSlackOptions {
  /** Replies of conversations.replies, per thread ts. */
  threads?: Record<string, Json[]>;
  /** Answer this method with `{ ok: false, error }` (e.g. chat.startStream → unknown_method). */
  failures?: Record<string, string>;
  /** users.info's is_admin for every user. */
  admin?: boolean;
  /** conversations.list's channels ({ id, name, is_private }), served in pages of the call's `limit`. */
  channels?: Json[];
  /** users.info's profile.display_name, per user id. */
  names?: Record<string, string>;
  /** Answer a call with this HTTP status (Slack having a bad moment) when it returns one; asked per call. */
  httpError?: (method: string, args: Json) => number | undefined;
}

/** What the fake Slack saw: every Web API call in order, and every POST to a response_url. */
export interface FakeSlack {
  calls: SlackCall[];
  responses: Json[];
  of(method: string): Json[];
}

function decode(body: unknown): Json {
  const raw =
    typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : ((body ?? {}) as Json);
  const out: Json = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = typeof v === 'string' && /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * Slack's Web API (at SLACK_API_URL) and its response_urls (hooks.slack.com), faked with nock until the
 * test ends (replacing every earlier nock interceptor, OpenAI's included): records every call and answers like Slack does (fresh `ts` for posted messages). Anything
 * the app calls gets `{ ok: true }` unless listed in `failures` (or refused with an HTTP status by `httpError`).
 */
export function fakeSlackWebApi(opts: FakeSlackOptions = {}): FakeSlack {
  // nock answers with the first matching interceptor: earlier fakes (and OpenAI's) must go first.
  nock.cleanAll();
  const calls: SlackCall[] = [];
  const responses: Json[] = [];
  let seq = 0;
  const nextTs = () => `1800000000.${String(++seq).padStart(6, '0')}`;
  nock(SLACK_API)
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply((uri, body) => {
      const method = uri.slice(uri.lastIndexOf('/') + 1);
      const args = decode(body);
      calls.push({ method, args });
      const status = opts.httpError?.(method, args);
      if (status) return [status, 'Internal Server Error'];
      return [200, answer(method, args)];
    });
  // Slack's reply to a call that went through (HTTP 200).
  function answer(method: string, args: Json): Json {
    const error = opts.failures?.[method];
    if (error) return { ok: false, error };
    switch (method) {
      case 'chat.postMessage':
      case 'chat.startStream':
        return { ok: true, channel: args.channel, ts: nextTs() };
      case 'chat.update':
      case 'chat.appendStream':
      case 'chat.stopStream':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'conversations.replies':
        return { ok: true, messages: opts.threads?.[args.ts] ?? [], has_more: false };
      case 'conversations.list': {
        const all = opts.channels ?? [];
        const start = Number(args.cursor ?? 0);
        const end = start + Number(args.limit ?? 100);
        return {
          ok: true,
          channels: all.slice(start, end),
          response_metadata: { next_cursor: end < all.length ? String(end) : '' },
        };
      }
      case 'users.info':
        return {
          ok: true,
          user: {
            id: args.user,
            is_admin: Boolean(opts.admin),
            is_owner: false,
            deleted: false,
            profile: { display_name: opts.names?.[args.user] ?? '' },
          },
        };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://example.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.publish':
        return { ok: true, view: { id: 'V0000000001' } };
      case 'auth.test':
        return slackFixture('auth-test-response').botToken.payload;
      default:
        return { ok: true };
    }
  }
  nock('https://hooks.slack.com')
    .persist()
    .post(/.*/)
    .reply(200, (_uri, body) => {
      responses.push(typeof body === 'string' ? safeJson(body) : body);
      return 'ok';
    });
  return { calls, responses, of: (method) => calls.filter((c) => c.method === method).map((c) => c.args) };
}
