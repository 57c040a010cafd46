/** A Slack thread as read for saving: authors by display name, oldest message first. */
export interface SavedThread {
  channelId: string;
  threadTs: string;
  /** https link back to the thread, or null when Slack would not give one. */
  permalink: string | null;
  messages: Array<{ author: string; ts: string; text: string }>;
  /** More messages than Lore reads in one thread; the first ones were kept. */
  truncated: boolean;
}

/** Reads a thread with the workspace's bot token (the Slack layer implements it). */
export type ThreadReader = (
  tenantId: string,
  at: { channelId: string; threadTs: string },
) => Promise<SavedThread>;

export type ThreadUnreadableReason = 'not_in_channel' | 'deleted';

/** A thread Lore cannot save, with what the member should do about it. */
export class ThreadUnreadableError extends Error {
  constructor(readonly reason: ThreadUnreadableReason) {
    super(
      reason === 'not_in_channel'
        ? 'Lore cannot read this thread because it is not a member of that channel. Add it with `/invite @Lore` in the channel, then save the thread again.'
        : 'That message was deleted before Lore could save it, so there is nothing to save.',
    );
    this.name = 'ThreadUnreadableError';
  }
}

/** Slack's "1700000000.000100" as an ISO minute in UTC. */
function when(ts: string): string {
  const seconds = Number(ts.split('.')[0]);
  return Number.isFinite(seconds)
    ? `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : '';
}

/**
 * The document a saved thread becomes: Markdown with the title, the permalink, then each message under its
 * author and time, so passages carry who said what and when, and a citation leads back to the thread.
 */
export function renderThreadMarkdown(title: string, t: SavedThread): string {
  const lines = [`# ${title.replace(/\s+/g, ' ').trim()}`, ''];
  if (t.permalink) lines.push(`Saved from a Slack thread: ${t.permalink}`, '');
  for (const m of t.messages) {
    lines.push(`**${m.author}**, ${when(m.ts)}:`, '', m.text.trim(), '');
  }
  if (t.truncated)
    lines.push(`_(Only the first ${t.messages.length} messages of this thread were saved.)_`, '');
  return lines.join('\n');
}
