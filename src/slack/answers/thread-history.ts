import type { WebClient } from '@slack/web-api';
import type { ThreadMessage } from '../../ai/answer.types.js';
import { readableSlackText } from './readable-text.js';

/** How many earlier messages of a thread are offered as context (the answer job trims them to a token budget). */
export const THREAD_HISTORY_LIMIT = 30;
// conversations.replies pages from the oldest message; one page of this size covers nearly every thread.
const PAGE_SIZE = 200;

/** Orders Slack timestamps exactly ("1700000000.000100"), which floats cannot (16+ digits). */
export function tsBefore(a: string, b: string): boolean {
  const norm = (ts: string) => {
    const [sec = '0', frac = ''] = ts.split('.');
    return BigInt(sec) * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6) || '0');
  };
  return norm(a) < norm(b);
}

interface SlackMessage {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
}

/**
 * The thread's earlier messages, oldest first: the bot's own as `assistant`, everyone else's as `user`, the
 * question itself and anything after it left out, mentions of the bot stripped, the most recent
 * THREAD_HISTORY_LIMIT kept.
 */
export async function fetchThreadHistory(
  client: WebClient,
  at: { channelId: string; threadTs: string; beforeTs?: string },
  bot: { botId?: string | null; botUserId?: string | null },
): Promise<ThreadMessage[]> {
  const res = await client.conversations.replies({
    channel: at.channelId,
    ts: at.threadTs,
    limit: PAGE_SIZE,
  });
  const mention = bot.botUserId ? new RegExp(`<@${bot.botUserId}(\\|[^>]*)?>`, 'g') : null;
  const messages = ((res.messages ?? []) as SlackMessage[])
    .filter((m) => m.ts && (!at.beforeTs || tsBefore(m.ts, at.beforeTs)))
    .map((m): ThreadMessage | null => {
      const own = Boolean(
        (bot.botId && m.bot_id === bot.botId) || (bot.botUserId && m.user === bot.botUserId),
      );
      const text = readableSlackText(mention ? (m.text ?? '').replace(mention, '') : (m.text ?? '')).trim();
      return text ? { role: own ? 'assistant' : 'user', text } : null;
    })
    .filter((m): m is ThreadMessage => m !== null);
  return messages.slice(-THREAD_HISTORY_LIMIT);
}
