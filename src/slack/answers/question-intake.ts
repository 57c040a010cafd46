import { type AnswerPayload, answerJob, MAX_QUESTION_CHARS } from '../../ai/answer.job.js';
import { isAppError, unavailable } from '../../errors.js';
import { enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';
import type { Logger } from '../../logger.js';

/** Longer than Slack's retry window (three retries over about five minutes), with a wide margin. */
export const DEDUPE_TTL_MS = 2 * 60 * 60_000;
// While the first delivery is still queueing, a retry must not be told "done": it gets a 5xx and Slack
// tries again later. Short, so a process that died mid-way does not block the event for long.
const PENDING_TTL_MS = 60_000;

export interface QuestionIntakeDeps {
  kv: KeyValueStore;
  queue: JobQueue;
  logger: Logger;
}

export type IntakeResult = 'queued' | 'duplicate';

/** The de-duplication key of one Slack delivery (event id, or a slash command's trigger id). */
export const dedupeKey = (eventId: string) => `event:${eventId}`;

/**
 * The only thing a Slack listener does with a question: de-duplicate it on its event id (SET NX with a TTL
 * longer than Slack's retry window) and queue the `answer` job (job id from the event id, so a second
 * enqueue is a no-op too). If Redis or the queue fails, the key is released and an `unavailable` error is
 * thrown, so the HTTP request gets a 5xx and Slack delivers the event again: never acknowledged and lost.
 */
export async function enqueueQuestion(
  deps: QuestionIntakeDeps,
  payload: Omit<AnswerPayload, 'v' | 'receivedAt'>,
  meta: { retryNum?: number } = {},
): Promise<IntakeResult> {
  const key = dedupeKey(payload.eventId);
  const ids = {
    tenantId: payload.tenantId,
    eventId: payload.eventId,
    surface: payload.surface,
    retryNum: meta.retryNum,
  };
  // Redis down: refuse (5xx) so Slack retries. Any other error would reach Bolt's error handler, which
  // acknowledges, and the event would be lost (found by restarting Redis under a burst of events).
  const fresh = await deps.kv
    .set(key, 'pending', { onlyIfAbsent: true, ttlMs: PENDING_TTL_MS })
    .catch((err: unknown) => {
      throw unavailable('could not record the delivery; Slack will retry', err);
    });
  if (!fresh) {
    const state = await deps.kv.get(key).catch((err: unknown) => {
      throw unavailable('could not read the delivery; Slack will retry', err);
    });
    if (state === 'pending') {
      throw unavailable('the first delivery of this event is still being queued; Slack will retry');
    }
    deps.logger.info(ids, 'duplicate delivery ignored');
    return 'duplicate';
  }
  const job: AnswerPayload = {
    ...payload,
    v: 1,
    question: payload.question.slice(0, MAX_QUESTION_CHARS),
    receivedAt: Date.now(),
  };
  try {
    await enqueueJob(deps.queue, answerJob, job);
  } catch (err) {
    await deps.kv.del(key).catch(() => 0);
    // A payload the job cannot take is no outage: Slack's retries would meet the same error.
    if (isAppError(err) && err.code === 'invalid_job_payload') throw err;
    deps.logger.error(
      { ...ids, err: { message: (err as Error).message } },
      'could not queue the answer job; Slack will retry',
    );
    throw unavailable('could not queue the answer job', err);
  }
  // The job is queued: a failure to mark it so only means a retry meets the pending key (and the job id).
  // Not awaited: the acknowledgement need not wait for a third Redis round trip (a later command on the
  // connection, such as a retry's GET, still sees it, as Redis runs one connection's commands in order).
  void deps.kv.set(key, 'queued', { ttlMs: DEDUPE_TTL_MS }).catch(() => false);
  // Every question is one request log line already (pino-http); this one is for tracing only.
  deps.logger.debug(ids, 'question queued');
  return 'queued';
}
