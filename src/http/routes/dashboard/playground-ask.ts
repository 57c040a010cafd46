import { randomUUID } from 'node:crypto';
import type { AnswerResult } from '../../../ai/answer.types.js';
import type { AnswerReplier } from '../../../ai/answer-replier.js';
import { type AnswerJobDeps, runAnswer } from '../../../ai/answer-run.js';
import { costUsd } from '../../../ai/prices.js';
import type { AskResultDto, SlackBlock } from '../../../contracts/ask.contract.js';
import type { AskFn } from './ask.routes.js';

/** Builds the Slack message for an answer (src/slack/blocks/answer.ts buildAnswerBlocks). */
export type AnswerBlocksBuilder = (
  answerId: string,
  result: Pick<AnswerResult, 'outcome' | 'text' | 'sources'>,
) => { blocks: unknown[] };

/** Replies nowhere: the playground shows the pipeline's result, and a notice (a limit, the apology) as text. */
function capturingReplier(): { replier: AnswerReplier; notice: () => string | undefined } {
  let notice: string | undefined;
  const replier: AnswerReplier = {
    threadHistory: async () => [],
    notice: async (_t, text) => {
      notice = text;
    },
    thinking: async () => {},
    begin: async () => ({
      channelId: '',
      ts: '',
      append: async () => {},
      finish: async () => {},
      abort: async (text) => {
        notice = text;
      },
    }),
  };
  return { replier, notice: () => notice };
}

/**
 * The Ask playground runs the very answer pipeline Slack questions run (same limits, quota, recording and
 * metering) and shows its result, with a replier that posts nothing.
 */
export function createPlaygroundAsk(
  deps: Omit<AnswerJobDeps, 'replier'> & { buildBlocks: AnswerBlocksBuilder },
): AskFn {
  return async (tenantId, question, actor, surface) => {
    const { replier, notice } = capturingReplier();
    const eventId = `playground-${randomUUID()}`;
    // One attempt (the pipeline does not retry the playground): a failure is shown to the person at once.
    const run = await runAnswer(
      { ...deps, replier },
      {
        v: 1,
        tenantId,
        eventId,
        surface,
        channelId: '',
        userId: actor,
        question,
        receivedAt: Date.now(),
      },
      { jobId: eventId, attempt: 1, name: 'answer' },
    ).catch(() => null);
    const result = run?.result;
    const u = result?.usage;
    return {
      answerId: run?.answerId ?? null,
      outcome: result?.outcome ?? asOutcome(run?.outcome),
      text: result?.text ?? notice() ?? '',
      retryAt: run?.retryAt?.toISOString() ?? null,
      blocks: result && run?.answerId ? (deps.buildBlocks(run.answerId, result).blocks as SlackBlock[]) : [],
      sources: (result?.sources ?? []).map((s) => ({
        position: s.position,
        documentId: s.documentId,
        title: s.title,
        section: s.section,
        pageStart: s.pageStart,
        score: s.score,
        url: s.url,
        excerpt: s.excerpt,
      })),
      trace: result?.trace
        ? {
            searchQuery: result.trace.searchQuery,
            rewritten: result.trace.rewritten,
            passages: result.trace.passages.map((p) => ({ ...p })),
            confident: result.trace.confident,
            relevant: result.trace.relevant,
            declinedBy: result.trace.declinedBy,
            spelling: result.trace.spelling.map((f) => ({ ...f })),
            situation: [...result.trace.situation],
            askedAbout: result.trace.askedAbout ? { ...result.trace.askedAbout } : null,
            pointsBack: result.trace.pointsBack ? { ...result.trace.pointsBack } : null,
          }
        : null,
      usage: {
        model: u?.model ?? '',
        promptTokens: u?.promptTokens ?? 0,
        completionTokens: u?.completionTokens ?? 0,
        keySource: u?.keySource ?? 'none',
        costUsd: u?.model ? (costUsd(u.model, u.promptTokens, u.completionTokens) ?? 0) : 0,
        latencyMs: run?.latencyMs ?? 0,
      },
    };
  };
}

/** The outcome the playground shows when no answer was made: a limit, or a failure of any kind. */
function asOutcome(recorded: string | null | undefined): AskResultDto['outcome'] {
  return recorded === 'rate_limited' || recorded === 'over_quota' ? recorded : 'failed';
}
