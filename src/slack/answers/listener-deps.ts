import type { Context } from '@slack/bolt';
import type { Database } from '../../infra/db/database.js';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';
import type { QuestionIntakeDeps } from './question-intake.js';
import { readableSlackText } from './readable-text.js';
import type { ThreadMembership } from './thread-membership.js';

/** What the question, feedback and App Home listeners need. */
export interface AnswerListenerDeps extends QuestionIntakeDeps {
  db: Database;
  /** Short-lived claims: the mention help and the Assistant's thread title, once per delivery or thread. */
  kv: KeyValueStore;
  threads: ThreadMembership;
  /** PUBLIC_URL: source links and the dashboard link. */
  publicUrl: string;
  /** SLACK_API_URL: a response_url may point at its origin (a local stand-in) besides Slack's hooks host. */
  slackApiUrl: string;
}

/** The tenant Lore's authorize put on the context (absent only for events that skip authorization). */
export function tenantIdOf(context: Context): string | undefined {
  return typeof context.tenantId === 'string' ? context.tenantId : undefined;
}

const USER_MENTION = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

/**
 * The question without the mention of the bot (`<@U0LAN0Z89> how do I…?` → `how do I…?`), as the member reads
 * it (readable-text.ts: links as their labels, `&amp;` as `&`).
 */
export function stripBotMention(text: string | undefined, botUserId: string | undefined): string {
  const raw = text ?? '';
  // One shared pattern for every workspace, rather than compiling one per event.
  const stripped = botUserId ? raw.replace(USER_MENTION, (m, id) => (id === botUserId ? ' ' : m)) : raw;
  return readableSlackText(stripped)
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** True when a message mentions the bot (app_mention answers those, so the message listener skips them). */
export function mentionsBot(text: string | undefined, botUserId: string | undefined): boolean {
  return Boolean(botUserId && text?.includes(`<@${botUserId}`));
}
