import type { WebClient } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { SavedThread, ThreadReader } from '../../knowledge/threads/saved-thread.js';
import { ThreadUnreadableError } from '../../knowledge/threads/saved-thread.js';
import { slackErrorCode } from '../answers/slack-errors.js';
import type { ClientFactory } from '../client-factory.js';

/** A thread is read 200 messages a page, at most this many pages: a saved thread is bounded in work and size. */
const PAGE_SIZE = 200;
const MAX_PAGES = 5;
/** Distinct people named in one thread that are looked up; beyond it, Slack ids stay. */
const MAX_NAME_LOOKUPS = 100;

interface SlackMessage {
  ts?: string;
  text?: string;
  user?: string;
  username?: string;
  bot_id?: string;
  subtype?: string;
}

const NOT_IN_CHANNEL = new Set(['not_in_channel', 'channel_not_found', 'missing_scope', 'access_denied']);
const GONE = new Set(['thread_not_found', 'message_not_found']);

/**
 * Reads a whole thread with the workspace's bot token (conversations.replies, paginated, bounded), with
 * authors by display name (users.info, cached an hour per workspace) and a permalink back to the thread.
 */
export function createThreadReader(clients: Pick<ClientFactory, 'getClient'>): ThreadReader {
  const names = new LRUCache<string, string>({ max: 10_000, ttl: 60 * 60_000 });
  return async (tenantId, at) => {
    const client = await clients.getClient(tenantId);
    const nameOf = async (userId: string, lookups: { n: number }): Promise<string> => {
      const key = `${tenantId}:${userId}`;
      const cached = names.get(key);
      if (cached) return cached;
      if (lookups.n++ >= MAX_NAME_LOOKUPS) return userId;
      const name = await displayName(client, userId);
      names.set(key, name);
      return name;
    };
    const raw = await readReplies(client, at);
    if (raw.messages.length === 0) throw new ThreadUnreadableError('deleted');
    const lookups = { n: 0 };
    const messages: SavedThread['messages'] = [];
    for (const m of raw.messages) {
      const text = await readableText(m.text ?? '', (id) => nameOf(id, lookups));
      if (!text.trim()) continue;
      const author = m.user ? await nameOf(m.user, lookups) : (m.username ?? 'a bot');
      messages.push({ author, ts: m.ts ?? '', text });
    }
    if (messages.length === 0) throw new ThreadUnreadableError('deleted');
    const permalink = await client.chat
      .getPermalink({ channel: at.channelId, message_ts: at.threadTs })
      .then((r) =>
        typeof r.permalink === 'string' && r.permalink.startsWith('https://') ? r.permalink : null,
      )
      .catch(() => null);
    return { channelId: at.channelId, threadTs: at.threadTs, permalink, messages, truncated: raw.truncated };
  };
}

async function readReplies(
  client: WebClient,
  at: { channelId: string; threadTs: string },
): Promise<{ messages: SlackMessage[]; truncated: boolean }> {
  const messages: SlackMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let res: Awaited<ReturnType<WebClient['conversations']['replies']>>;
    try {
      res = await client.conversations.replies({
        channel: at.channelId,
        ts: at.threadTs,
        limit: PAGE_SIZE,
        cursor,
      });
    } catch (err) {
      const code = slackErrorCode(err);
      if (code && NOT_IN_CHANNEL.has(code)) throw new ThreadUnreadableError('not_in_channel');
      if (code && GONE.has(code)) throw new ThreadUnreadableError('deleted');
      throw err;
    }
    messages.push(...((res.messages ?? []) as SlackMessage[]).filter((m) => m.subtype !== 'tombstone'));
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) return { messages, truncated: false };
  }
  return { messages, truncated: true };
}

async function displayName(client: WebClient, userId: string): Promise<string> {
  try {
    const { user } = await client.users.info({ user: userId });
    const p = user?.profile;
    return p?.display_name || p?.real_name || user?.real_name || user?.name || userId;
  } catch {
    return userId;
  }
}

/** Slack's markup made readable: `<@U1>` → `@Ana`, `<url|label>` → `label (url)`, `<#C1|general>` → `#general`. */
async function readableText(text: string, nameOf: (id: string) => Promise<string>): Promise<string> {
  const ids = [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] as string))];
  const resolved = new Map<string, string>();
  for (const id of ids) resolved.set(id, await nameOf(id));
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) => `@${resolved.get(id) ?? id}`)
    .replace(/<#[CG][A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
