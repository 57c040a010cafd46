import { z } from 'zod';
import { defineJob } from '../infra/queue/job-definition.js';
import { ANSWER_ATTEMPTS, type AnswerJobDeps, runAnswer } from './answer-run.js';
import type { Surface } from './answers.repo.js';

/** Questions are cut to this length when they are queued (a Slack message can be 40,000 characters). */
export const MAX_QUESTION_CHARS = 4_000;

/** How long an event id stays answered: longer than Slack's retry window (about five minutes), widely. */
export const ANSWER_DEDUPE_MS = 2 * 60 * 60_000;

const SURFACES = [
  'mention',
  'dm',
  'thread',
  'ask',
  'assistant',
  'playground',
  'api',
] as const satisfies Surface[];

const answerPayload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  requestId: z.string().optional(),
  /** Slack's event id (or the command's trigger id): one answer per key, however often it is delivered. */
  eventId: z.string().min(1),
  surface: z.enum(SURFACES),
  channelId: z.string(),
  threadTs: z.string().optional(),
  messageTs: z.string().optional(),
  userId: z.string().min(1),
  question: z.string().min(1).max(MAX_QUESTION_CHARS),
  responseUrl: z.string().optional(),
  /** When Lore received the event (epoch ms), for answer latency. */
  receivedAt: z.number(),
});
/** Payload of the `answer` job (version 1), queued by the Slack listeners. */
export type AnswerPayload = z.infer<typeof answerPayload>;

/**
 * The `answer` job: checks (tenant active, channel enabled, rate limits, monthly quota) → thread context →
 * grounded answer streamed into Slack → answer, citations, usage and knowledge gap recorded exactly once.
 * A retry after a crash edits the message it already posted; a retry after completion does nothing.
 */
export const answerJob = defineJob({
  name: 'answer',
  schema: answerPayload,
  attempts: ANSWER_ATTEMPTS,
  // One answer per Slack event: its retries (three, over about five minutes) add nothing, even after the
  // job ran. The window is checked in the same step as the add, so a question costs one Redis round trip.
  dedupe: { id: (p) => p.eventId, forMs: ANSWER_DEDUPE_MS },
  handler: (deps: AnswerJobDeps) => async (p, ctx) => {
    const run = await runAnswer(deps, p, ctx);
    // Out of attempts: recorded as failed and the asker told; the operator still sees a failed job.
    if (run.error !== undefined) throw run.error;
  },
});
