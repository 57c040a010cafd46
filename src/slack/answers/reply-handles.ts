import type { WebClient } from '@slack/web-api';
import type { ReplyHandle } from '../../ai/answer-replier.js';
import { slackResponseUrlFailed, slackResponseUrlRefused } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { buildAnswerBlocks, createStreamEscaper, escapeMrkdwn } from '../blocks/answer.js';
import { isSlackResponseUrl } from './response-url.js';
import { describeSlackError } from './slack-errors.js';

/** How often a reply may call Slack while text streams in, and the clock (tests replace it). */
export interface ReplyTiming {
  /** Minimum gap between chat.appendStream calls (the first piece goes at once). */
  streamIntervalMs: number;
  /** Minimum gap between chat.update calls in the fallback path (Slack: about one per second). */
  updateIntervalMs: number;
  now: () => number;
}

export const DEFAULT_TIMING: ReplyTiming = { streamIntervalMs: 500, updateIntervalMs: 1000, now: Date.now };

// chat.update's text is capped at 4,000 characters; an interim preview never needs more.
const PREVIEW_LIMIT = 3_900;
const preview = (text: string) => {
  const escaped = escapeMrkdwn(text, { keepQuotes: true });
  return `${escaped.length > PREVIEW_LIMIT ? escaped.slice(0, PREVIEW_LIMIT) : escaped} …`;
};

interface Where {
  channelId: string;
  ts: string;
}

/**
 * A reply streamed with chat.startStream (already called) → chat.appendStream → chat.stopStream, then
 * replaced by the final Block Kit message with chat.update.
 */
export function createStreamReply(
  client: WebClient,
  at: Where,
  timing: ReplyTiming,
  logger: Logger,
): ReplyHandle {
  let buffer = '';
  let lastFlush = Number.NEGATIVE_INFINITY;
  let stopped = false;
  // Escaped as each piece arrives (an escape never spans pieces), so nothing raw ever reaches Slack.
  const escapePiece = createStreamEscaper();
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const rest = buffer;
    buffer = '';
    await client.chat.stopStream({
      channel: at.channelId,
      ts: at.ts,
      ...(rest ? { markdown_text: rest } : {}),
    });
  };
  return {
    ...at,
    async append(text) {
      buffer += escapePiece(text);
      if (timing.now() - lastFlush < timing.streamIntervalMs) return;
      lastFlush = timing.now();
      const piece = buffer;
      buffer = '';
      await client.chat.appendStream({ channel: at.channelId, ts: at.ts, markdown_text: piece });
    },
    async finish(answerId, result) {
      await stop();
      await client.chat.update({ channel: at.channelId, ts: at.ts, ...buildAnswerBlocks(answerId, result) });
    },
    async abort(text) {
      await stop().catch((err: unknown) =>
        logger.warn({ err: describeSlackError(err) }, 'could not stop the stream before the apology'),
      );
      await client.chat.update({ channel: at.channelId, ts: at.ts, text, blocks: [] });
    },
  };
}

/**
 * The fallback reply: one posted message, edited as text arrives (at most once per `updateIntervalMs`),
 * then replaced by the final message. Also resumes a message a crashed attempt already posted.
 */
export function createUpdatingReply(
  client: WebClient,
  at: Where,
  timing: ReplyTiming,
  opts: { justPosted: boolean },
): ReplyHandle {
  let text = '';
  let lastUpdate = opts.justPosted ? timing.now() : Number.NEGATIVE_INFINITY;
  return {
    ...at,
    async append(delta) {
      text += delta;
      if (timing.now() - lastUpdate < timing.updateIntervalMs) return;
      lastUpdate = timing.now();
      await client.chat.update({ channel: at.channelId, ts: at.ts, text: preview(text) });
    },
    async finish(answerId, result) {
      await client.chat.update({ channel: at.channelId, ts: at.ts, ...buildAnswerBlocks(answerId, result) });
    },
    async abort(message) {
      await client.chat.update({ channel: at.channelId, ts: at.ts, text: message, blocks: [] });
    },
  };
}

/** POSTs a message to a slash command's response_url (valid for 30 minutes, up to five times). */
export async function postToResponseUrl(
  fetchFn: typeof fetch,
  url: string,
  body: Record<string, unknown>,
  slackApiUrl: string,
): Promise<void> {
  // Checked again here, not only at intake: a job queued before the check existed carries its URL too.
  if (!isSlackResponseUrl(url, slackApiUrl)) {
    throw slackResponseUrlRefused();
  }
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw slackResponseUrlFailed(res.status);
  }
}

/**
 * The /ask reply: nothing streams (a response_url message cannot be edited piece by piece cheaply); the
 * final answer replaces the "Working on it…" message, visible to the asker only, with "Share in channel".
 */
export function createResponseUrlReply(
  fetchFn: typeof fetch,
  channelId: string,
  responseUrl: string,
  slackApiUrl: string,
): ReplyHandle {
  const send = (body: Record<string, unknown>) =>
    postToResponseUrl(
      fetchFn,
      responseUrl,
      { response_type: 'ephemeral', replace_original: true, ...body },
      slackApiUrl,
    );
  return {
    channelId,
    ts: '',
    async append() {},
    async finish(answerId, result) {
      await send(buildAnswerBlocks(answerId, result, { shareable: true }));
    },
    async abort(text) {
      await send({ text });
    },
  };
}
