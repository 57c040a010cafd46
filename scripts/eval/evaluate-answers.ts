import { answerQuestion } from '../../src/ai/answer.service.js';
import {
  type AnswerResult,
  PASSAGES_FOR_EXTRACT,
  type Retrieval,
  type RetrievalScope,
} from '../../src/ai/answer.types.js';
import type { ChatMessage, Embedder, LlmClient } from '../../src/ai/llm-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { createRetriever } from '../../src/knowledge/retrieval/retriever.js';
import type { Logger } from '../../src/logger.js';
import type { BeirDataset, BeirQuery } from './beir.js';
import { type NoModelOutcome, noModelOutcome } from './miss-reasons.js';

/**
 * The four answer figures of one mode: whether the answer reached the member (no model: the quoted reply)
 * or the model (its prompt), false "I don't know" on answerable questions, and abstention on the
 * unanswerable ones.
 */
export interface AnswerEvalResult {
  mode: 'no model' | 'with a model';
  /** Share of answerable questions whose answer reached the member (no model) or the model's prompt. */
  answerReached: number;
  /** Share of answerable questions declined ("I couldn't find this") before any model. */
  falseIdk: number;
  /**
   * No model: share of answerable questions declined whose answer was still in the closest passages shown
   * under "I couldn't find a clear answer", and share of unanswerable questions that were shown such passages.
   */
  closest: { answerShown: number; unanswerableShown: number | null } | null;
  /** Share of unanswerable questions declined before any model (with a model, the model judges the rest). */
  abstained: number | null;
  /** How "reached" was judged: the exact answer text, or (sets without one) a passage of a relevant document. */
  judgedBy: 'answer text' | 'relevant document';
  /**
   * Per question: reached, declined, and (answerable questions, no model) where the answer was lost; for
   * unanswerable ones, the gate's coverage signal, to see what let a question through.
   */
  perQuery: Map<
    string,
    {
      reached: boolean;
      declined: boolean;
      outcome?: NoModelOutcome;
      /** Declined, but the answer was among the closest passages shown under "I couldn't find a clear answer". */
      inClosest?: boolean;
      question?: string;
      coverage?: number;
    }
  >;
}

/** Case, spacing and Unicode form do not matter when looking for the answer text. */
const comparable = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ');

/**
 * A stand-in model that records its prompt and cites every source: the evaluation measures what reaches
 * the model, not what a real model would make of it (no key in CI).
 */
function recordingModel(): LlmClient & { lastPrompt: string } {
  const model = {
    lastPrompt: '',
    embed: async () => ({ vectors: [], promptTokens: 0, model: 'none' }),
    async streamChat(messages: ChatMessage[], opts: { model: string }) {
      model.lastPrompt = messages.map((m) => m.content).join('\n\n');
      return { text: '[1][2][3][4][5][6]', promptTokens: 0, completionTokens: 0, model: opts.model };
    },
  };
  return model;
}

export interface AnswerEvalOptions {
  /** With a model, the retriever embeds questions with this (the chunks must have been embedded alike). */
  embedder: Embedder | null;
  embeddingModel: string;
  withModel: boolean;
  logger: Logger;
}

/** Runs every question of the dataset through the real answer step (retrieval, gate, quoting or prompt). */
export async function evaluateAnswers(
  db: Database,
  tenantId: string,
  dataset: BeirDataset,
  corpusIdOf: Map<string, string>,
  opts: AnswerEvalOptions,
): Promise<AnswerEvalResult> {
  const model = recordingModel();
  const embedder = opts.embedder;
  const inner = createRetriever({
    db,
    logger: opts.logger,
    embeddingModel: opts.embeddingModel,
    embedderFor: async () => (embedder ? { llm: embedder } : null),
  });
  // The last retrieval, kept to tell where a missed answer was lost.
  let last: Retrieval = { passages: [], confident: false, relevant: false, close: false };
  const deps = {
    retrieve: async (tenantId: string, query: string, scope: RetrievalScope) => {
      last = await inner(tenantId, query, scope);
      return last;
    },
    llmFor: async () => (opts.withModel ? { llm: model, keySource: 'platform' as const } : null),
    chatModel: 'stand-in',
    publicUrl: 'https://lore.invalid',
  };
  const ask = (q: BeirQuery): Promise<AnswerResult> => {
    model.lastPrompt = '';
    return answerQuestion(deps, {
      tenantId,
      question: q.text,
      thread: [],
      style: 'concise',
      instructions: '',
      scope: { collectionIds: null },
    });
  };
  const judgedBy = dataset.queries.every((q) => q.answer) ? 'answer text' : 'relevant document';
  const perQuery: AnswerEvalResult['perQuery'] = new Map();
  let closestShown = 0;
  for (const q of dataset.queries) {
    const result = await ask(q);
    const declined = result.outcome === 'no_sources';
    const judged = dataset.qrels.get(q.id);
    const relevantDoc = (documentId: string) => (judged?.get(corpusIdOf.get(documentId) ?? '') ?? 0) > 0;
    const answer = comparable(q.answer ?? '');
    const holdsAnswer = (shown: string) =>
      judgedBy === 'answer text'
        ? comparable(shown).includes(answer)
        : result.sources.some((s) => relevantDoc(s.documentId));
    const reached = !declined && holdsAnswer(opts.withModel ? model.lastPrompt : result.text);
    // Declined, but shown the closest passages (no model): did the answer come along?
    const inClosest = declined && !opts.withModel && result.sources.length > 0 && holdsAnswer(result.text);
    if (inClosest) closestShown++;
    const outcome = opts.withModel
      ? undefined
      : noModelOutcome(reached, declined, last.passages, PASSAGES_FOR_EXTRACT, (p) =>
          judgedBy === 'answer text' ? comparable(p.content).includes(answer) : relevantDoc(p.documentId),
        );
    perQuery.set(q.id, { reached, declined, outcome, inClosest, question: q.text });
  }
  let abstainedCount = 0;
  let unanswerableClosest = 0;
  for (const q of dataset.unanswerable) {
    const result = await ask(q);
    const declined = result.outcome === 'no_sources';
    if (declined) abstainedCount++;
    if (declined && result.sources.length > 0) unanswerableClosest++;
    const coverage = Math.max(0, ...last.passages.slice(0, PASSAGES_FOR_EXTRACT).map((p) => p.termCoverage));
    perQuery.set(q.id, { reached: false, declined, question: q.text, coverage });
  }
  const answerable = dataset.queries.map((q) => perQuery.get(q.id));
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    mode: opts.withModel ? 'with a model' : 'no model',
    answerReached: share(answerable.filter((r) => r?.reached).length, answerable.length),
    falseIdk: share(answerable.filter((r) => r?.declined).length, answerable.length),
    abstained: dataset.unanswerable.length ? abstainedCount / dataset.unanswerable.length : null,
    closest: opts.withModel
      ? null
      : {
          answerShown: share(closestShown, answerable.length),
          unanswerableShown: dataset.unanswerable.length
            ? unanswerableClosest / dataset.unanswerable.length
            : null,
        },
    judgedBy,
    perQuery,
  };
}

/** A share as the eval prints it: "80.3%". */
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One console line per mode. */
export function formatAnswerResult(r: AnswerEvalResult, embedderLabel: string): string {
  const reached = r.mode === 'no model' ? 'answer shown to the member' : 'answer in the prompt';
  const abstained = r.abstained === null ? 'n/a' : pct(r.abstained);
  const declined =
    r.mode === 'no model' ? 'abstained on unanswerable' : 'declined before the model on unanswerable';
  const line = `${r.mode.padEnd(12)} ${reached} ${pct(r.answerReached)} | false "I don't know" ${pct(r.falseIdk)} | ${declined} ${abstained} | judged by ${r.judgedBy}; retrieval: ${embedderLabel}`;
  if (!r.closest) return line;
  const unanswerable = r.closest.unanswerableShown === null ? 'n/a' : pct(r.closest.unanswerableShown);
  return `${line}\n${''.padEnd(12)} declined but the answer among the closest passages shown ${pct(r.closest.answerShown)} (answer reached the member in all ${pct(r.answerReached + r.closest.answerShown)}) | unanswerable shown closest passages ${unanswerable}`;
}

/** The no-model misses, one line each: where the answer was lost, or what let an unanswerable one through. */
export function formatMisses(r: AnswerEvalResult): string[] {
  const lines: string[] = [];
  for (const [id, q] of r.perQuery) {
    const closest = q.inClosest ? '; among the closest passages shown' : '';
    if (q.outcome && q.outcome !== 'shown') lines.push(`  ${id} [${q.outcome}${closest}] ${q.question}`);
    if (q.coverage !== undefined && !q.declined) {
      lines.push(`  ${id} [unanswerable, quoted; coverage ${q.coverage.toFixed(2)}] ${q.question}`);
    }
  }
  return lines;
}
