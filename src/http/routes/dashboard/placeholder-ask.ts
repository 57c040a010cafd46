import { type AnswerDeps, answerQuestion } from '../../../ai/answer.service.js';
import type { AnswerResult } from '../../../ai/answer.types.js';
import { costUsd } from '../../../ai/prices.js';
import type { Database } from '../../../infra/db/database.js';
import { getTenantSettings } from '../../../tenants/settings.service.js';
import type { AskResultDto, SlackBlock } from '../../contracts/ask.contract.js';
import type { AskFn } from './ask.routes.js';

/** Builds the Slack message for an answer (src/slack/blocks/answer.ts buildAnswerBlocks in production). */
export type AnswerBlocksBuilder = (
  answerId: string,
  result: Pick<AnswerResult, 'outcome' | 'text' | 'sources'>,
) => { blocks: unknown[] };

/**
 * PLACEHOLDER for the playground until the answer pipeline offers a playground entry point (issue 5): the
 * real answer service with the real retriever, the tenant's key choice (its own OpenAI key or the
 * platform's), its answer style, and Slack's own Block Kit builder, but it records no answer and meters
 * nothing (no rate limit, quota or usage row). Replace it in main.ts with the pipeline's `ask`.
 */
export function createPlaceholderAsk(deps: {
  db: Database;
  answer: AnswerDeps;
  buildBlocks: AnswerBlocksBuilder;
}): AskFn {
  return async (tenantId, question) => {
    const started = Date.now();
    const settings = await getTenantSettings(deps.db, tenantId);
    const result = await answerQuestion(deps.answer, {
      tenantId,
      question,
      thread: [],
      style: settings.answerStyle,
      instructions: settings.instructions,
    });
    const u = result.usage;
    const body: AskResultDto = {
      answerId: null,
      outcome: result.outcome,
      text: result.text,
      blocks: deps.buildBlocks('', result).blocks as SlackBlock[],
      sources: result.sources.map((s) => ({
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
        model: u.model,
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        keySource: u.keySource,
        costUsd: u.model ? (costUsd(u.model, u.promptTokens, u.completionTokens) ?? 0) : 0,
        latencyMs: Date.now() - started,
      },
    };
    return body;
  };
}
