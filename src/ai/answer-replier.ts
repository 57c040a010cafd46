import type { AnswerResult, ThreadMessage } from './answer.types.js';
import type { Surface } from './answers.repo.js';

/** Where a question came from and where its answer goes. */
export interface ReplyTarget {
  tenantId: string;
  surface: Surface;
  channelId: string;
  /** The thread to answer in (the question's own ts for a new thread). */
  threadTs?: string;
  userId: string;
  /** Slash commands answer through their response_url (ephemeral to the asker). */
  responseUrl?: string;
}

/** A reply being written: text streams in, then the final message (text, sources, buttons) replaces it. */
export interface ReplyHandle {
  channelId: string;
  ts: string;
  append(text: string): Promise<void>;
  finish(answerId: string, result: AnswerResult): Promise<void>;
  /** Replaces whatever was streamed with a short message (the apology after a failure). */
  abort(text: string): Promise<void>;
}

/**
 * The port through which the answer job talks back to Slack; src/slack implements it (streaming with
 * chat.startStream, falling back to post-and-update), so the job stays free of Slack's API details.
 */
export interface AnswerReplier {
  /** Earlier messages of the thread, oldest first, for context (the question itself excluded). */
  threadHistory(target: ReplyTarget, beforeTs?: string): Promise<ThreadMessage[]>;
  /** A short message to the asker (limits, channel not enabled, apology). */
  notice(target: ReplyTarget, text: string): Promise<void>;
  /** Shows "thinking…" where Slack supports it (assistant threads); a no-op elsewhere. */
  thinking(target: ReplyTarget): Promise<void>;
  /** Starts the reply, or resumes the one a crashed attempt already posted. */
  begin(target: ReplyTarget, posted: { channelId: string; ts: string } | null): Promise<ReplyHandle>;
}
