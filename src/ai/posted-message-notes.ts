import type { KeyValueStore } from '../infra/redis/key-value-store.js';

/** A Slack message an answer attempt posted. */
export interface PostedMessage {
  channelId: string;
  ts: string;
}

/** Longer than an answer's attempts and the waits between them (a database away for up to 5 minutes). */
const NOTE_TTL_MS = 60 * 60_000;

const keyOf = (answerId: string) => `answer-posted:${answerId}`;

/**
 * The message an answer attempt posted, noted in the key-value store before it is recorded in the answer's
 * row. When that update fails (the database away for a moment) the attempt fails after its message is in
 * Slack, and the next attempt, finding no `posted_ts`, would post a second one and leave the first as it
 * was; with the note it edits the first. Neither lookup nor note may fail an answer: without them an attempt
 * behaves as before (a duplicate only in that rare case).
 */
export function postedMessageNotes(kv: KeyValueStore) {
  return {
    async find(answerId: string): Promise<PostedMessage | null> {
      const raw = await kv.get(keyOf(answerId)).catch(() => null);
      if (!raw) return null;
      const [channelId, ts] = raw.split(' ');
      return channelId && ts ? { channelId, ts } : null;
    },
    async note(answerId: string, posted: PostedMessage): Promise<void> {
      await kv
        .set(keyOf(answerId), `${posted.channelId} ${posted.ts}`, { ttlMs: NOTE_TTL_MS })
        .catch(() => undefined);
    },
  };
}
