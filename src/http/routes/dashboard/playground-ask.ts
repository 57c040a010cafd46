import { randomUUID } from 'node:crypto';
import { type AnswerJobDeps, createAnswerJob } from '../../../ai/answer.job.js';
import type { AnswerResult } from '../../../ai/answer.types.js';
import type { AnswerReplier } from '../../../ai/answer-replier.js';
import { costUsd } from '../../../ai/prices.js';
import type { AskResultDto, SlackBlock } from '../../../contracts/ask.contract.js';
import { withTenant } from '../../../infra/db/transaction.js';
import type { AskFn } from './ask.routes.js';

/** Builds the Slack message for an answer (src/slack/blocks/answer.ts buildAnswerBlocks). */
export type AnswerBlocksBuilder = (
  answerId: string,
  result: Pick<AnswerResult, 'outcome' | 'text' | 'sources'>,
) => { blocks: unknown[] };

/**
 * The Ask playground runs the very `answer` job Slack questions run (same limits, quota, recording and
 * metering), with a replier that captures the reply instead of posting it to Slack.
 */
export function createPlaygroundAsk(
  deps: Omit<AnswerJobDeps, 'replier'> & { buildBlocks: AnswerBlocksBuilder },
): AskFn {
  return async (tenantId, question, actor) => {
    let finished: { answerId: string; result: AnswerResult } | undefined;
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
        finish: async (answerId, result) => {
          finished = { answerId, result };
        },
        abort: async (text) => {
          notice = text;
        },
      }),
    };
    const eventId = `playground-${randomUUID()}`;
    const job = createAnswerJob({ ...deps, replier });
    // One attempt (the job does not retry the playground): a failure is shown to the person at once.
    await job(
      {
        v: 1,
        tenantId,
        eventId,
        surface: 'playground',
        channelId: '',
        userId: actor,
        question,
        receivedAt: Date.now(),
      },
      { jobId: eventId, attempt: 1, name: 'answer' },
    ).catch(() => {});
    const row = await withTenant(deps.db, tenantId, async (c) => {
      const { rows } = await c.query<{
        id: string;
        outcome: AskResultDto['outcome'];
        latency: number | null;
      }>('SELECT id, outcome, latency_ms AS latency FROM lore.answers WHERE idempotency_key = $1', [eventId]);
      return rows[0];
    });
    const result = finished?.result;
    const u = result?.usage;
    return {
      answerId: row?.id ?? null,
      outcome: result?.outcome ?? row?.outcome ?? 'failed',
      text: result?.text ?? notice ?? '',
      blocks: result ? (deps.buildBlocks(finished?.answerId ?? '', result).blocks as SlackBlock[]) : [],
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
      usage: {
        model: u?.model ?? '',
        promptTokens: u?.promptTokens ?? 0,
        completionTokens: u?.completionTokens ?? 0,
        keySource: u?.keySource ?? 'none',
        costUsd: u?.model ? (costUsd(u.model, u.promptTokens, u.completionTokens) ?? 0) : 0,
        latencyMs: row?.latency ?? 0,
      },
    };
  };
}
