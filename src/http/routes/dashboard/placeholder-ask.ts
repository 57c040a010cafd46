import { answerQuestion } from '../../../ai/answer.service.js';
import type { AnswerResult, RetrievedPassage } from '../../../ai/answer.types.js';
import type { LlmClient } from '../../../ai/llm-client.js';
import { costUsd } from '../../../ai/prices.js';
import type { Database } from '../../../infra/db/database.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { searchKnowledge } from '../../../knowledge/retrieval/search.service.js';
import { getTenantSettings } from '../../../tenants/settings.service.js';
import type { AskResultDto, SlackBlock } from '../../contracts/ask.contract.js';
import type { AskFn } from './ask.routes.js';

/** The answer as a Block Kit message: text, numbered sources linking to the dashboard, 👍/👎 buttons. */
export function answerBlocks(r: Pick<AnswerResult, 'text' | 'sources'>): SlackBlock[] {
  const blocks: SlackBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: r.text } }];
  if (r.sources.length > 0) {
    blocks.push({
      type: 'context',
      elements: r.sources.map((s) => ({
        type: 'mrkdwn',
        text: `[${s.position}] <${s.url}|${s.title}${s.section ? ` › ${s.section}` : ''}>`,
      })),
    });
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: '👍 Helpful', emoji: true },
          action_id: 'feedback_up',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: '👎 Not helpful', emoji: true },
          action_id: 'feedback_down',
        },
      ],
    });
  }
  return blocks;
}

/**
 * PLACEHOLDER for the playground until the metered answer job is wired for it (issue 5): the real answer
 * service over the real tenant-scoped retrieval (full-text) with the platform key, but it records no answer
 * and meters nothing. Replace it in main.ts with the answer pipeline's own `ask`.
 */
export function createPlaceholderAsk(deps: {
  db: Database;
  llm: LlmClient | undefined;
  chatModel: string;
  publicUrl: string;
}): AskFn {
  return async (tenantId, question) => {
    const started = Date.now();
    const settings = await getTenantSettings(deps.db, tenantId);
    const result = await answerQuestion(
      {
        chatModel: deps.chatModel,
        publicUrl: deps.publicUrl,
        llmFor: async () => (deps.llm ? { llm: deps.llm, keySource: 'platform' as const } : null),
        retrieve: (tid, query) =>
          withTenant(deps.db, tid, async (c) => {
            const found = await searchKnowledge(c, tid, { query, k: 8 });
            const passages: RetrievedPassage[] = found.passages.map((p) => ({
              chunkId: p.chunkIds[0] ?? '',
              documentId: p.documentId,
              title: p.title,
              section: p.section,
              pageStart: p.pageStart,
              ordinal: p.ordinals[0] ?? 0,
              content: p.content,
              score: p.score,
            }));
            return { passages, confident: found.relevance.confident };
          }),
      },
      { tenantId, question, thread: [], style: settings.answerStyle, instructions: settings.instructions },
    );
    const u = result.usage;
    const body: AskResultDto = {
      answerId: null,
      outcome: result.outcome,
      text: result.text,
      blocks: answerBlocks(result),
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
