import { ANSWER_DEDUPE_MS, type AnswerPayload, answerJob, MAX_QUESTION_CHARS } from '../../ai/answer.job.js';
import { isAppError, unavailable } from '../../errors.js';
import { submitJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';

/**
 * How long a delivery id stays claimed by the listeners that answer without queueing (the mention help, the
 * Assistant's first thread): the answer job's own window, longer than Slack's retries.
 */
export const DEDUPE_TTL_MS = ANSWER_DEDUPE_MS;

export interface QuestionIntakeDeps {
  queue: JobQueue;
  logger: Logger;
}

/** The de-duplication key of one Slack delivery (event id, or a slash command's trigger id). */
export const dedupeKey = (eventId: string) => `event:${eventId}`;

/**
 * The only thing a Slack listener does with a question: submit the `answer` job (`submitJob`: on Redis one
 * XADD, the cheapest durable write, which a worker turns into the job). Slack's retries of one event are
 * submitted too and dropped there: the answer job's `dedupe` on the event id is checked by the add itself, so a
 * retry racing its first delivery cannot add a second job, and a retry hours later finds the event answered.
 * If the submit fails, an `unavailable` error is thrown and nothing is recorded, so the HTTP request gets a
 * 5xx and Slack delivers the event again: never acknowledged and lost. So does a submit refused because too
 * many questions are waiting (`queue_full`, a 503).
 */
export async function enqueueQuestion(
  deps: QuestionIntakeDeps,
  payload: Omit<AnswerPayload, 'v' | 'receivedAt'>,
  meta: { retryNum?: number } = {},
): Promise<void> {
  const ids = {
    tenantId: payload.tenantId,
    eventId: payload.eventId,
    surface: payload.surface,
    retryNum: meta.retryNum,
  };
  const job: AnswerPayload = {
    ...payload,
    v: 1,
    question: payload.question.slice(0, MAX_QUESTION_CHARS),
    receivedAt: Date.now(),
  };
  try {
    await submitJob(deps.queue, answerJob, job);
  } catch (err) {
    // A payload the job cannot take is no outage: Slack's retries would meet the same error.
    if (isAppError(err) && err.code === 'invalid_job_payload') throw err;
    // Too many questions waiting (the workers away or behind): already a 503, so Slack retries later.
    if (isAppError(err) && err.code === 'queue_full') {
      deps.logger.warn(
        { ...ids, refused: err.details },
        'answer job refused: too many waiting; Slack will retry',
      );
      throw err;
    }
    // Anything else reaching Bolt's error handler would be acknowledged and the event lost (found by
    // restarting Redis under a burst of events): refuse (5xx) so Slack retries.
    deps.logger.error(
      { ...ids, err: { message: (err as Error).message } },
      'could not queue the answer job; Slack will retry',
    );
    throw unavailable('could not queue the answer job', err);
  }
  // Every question is one request log line already (pino-http); this one is for tracing only.
  deps.logger.debug(ids, 'question queued');
}
