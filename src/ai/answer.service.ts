import { AppError } from '../errors.js';
import type {
  AnswerResult,
  AnswerSource,
  RetrievedPassage,
  Retriever,
  ThreadMessage,
} from './answer.types.js';
import type { LlmClient } from './llm-client.js';
import { buildAnswerMessages, NO_ANSWER } from './prompts.js';
import { trimThread } from './thread-context.js';

export interface AnswerDeps {
  retrieve: Retriever;
  /** The tenant's own key's client, else the platform's, else null (extractive answers). */
  llmFor: (tenantId: string) => Promise<{ llm: LlmClient; keySource: 'platform' | 'tenant' } | null>;
  chatModel: string;
  publicUrl: string;
}

export interface AnswerInput {
  tenantId: string;
  question: string;
  thread: ThreadMessage[];
  style: 'concise' | 'detailed';
  instructions: string;
}

const PASSAGES_FOR_LLM = 6;
const PASSAGES_FOR_EXTRACT = 3;
const THREAD_TOKEN_BUDGET = 1_500;
const MAX_ANSWER_TOKENS = 700;

export const NO_SOURCES_TEXT =
  "I couldn't find this in your workspace's documents, so I won't guess. I've noted the question for your admins: adding a document that covers it lets me answer next time.";

/** Where a citation links: the dashboard's document view, scrolled to the passage. */
export const sourceUrl = (publicUrl: string, p: RetrievedPassage) =>
  `${publicUrl}/app/documents/${p.documentId}#chunk-${p.ordinal}`;

function toSource(publicUrl: string, p: RetrievedPassage, position: number): AnswerSource {
  return {
    position,
    documentId: p.documentId,
    chunkId: p.chunkId,
    title: p.title,
    section: p.section,
    pageStart: p.pageStart,
    score: p.score,
    url: sourceUrl(publicUrl, p),
    excerpt: p.content.length > 300 ? `${p.content.slice(0, 297)}…` : p.content,
  };
}

/** A short follow-up ("and for contractors?") is searched together with the question before it. */
export function searchQueryFor(question: string, thread: ThreadMessage[]): string {
  const words = question.trim().split(/\s+/).length;
  const previous = [...thread].reverse().find((m) => m.role === 'user')?.text;
  return words < 8 && previous ? `${previous} ${question}` : question;
}

/**
 * Answers a question from the tenant's knowledge base: retrieve → not relevant? say so → no model?
 * quote the best passages → else stream a cited answer from the model. `onDelta` receives the text as
 * it is written (never a partial NO_ANSWER).
 */
export async function answerQuestion(
  deps: AnswerDeps,
  input: AnswerInput,
  onDelta: (text: string) => Promise<void> | void = () => {},
): Promise<AnswerResult> {
  const retrieval = await deps.retrieve(input.tenantId, searchQueryFor(input.question, input.thread));
  const none = { model: '', promptTokens: 0, completionTokens: 0, keySource: 'none' as const };
  if (!retrieval.confident || retrieval.passages.length === 0) {
    return { outcome: 'no_sources', text: NO_SOURCES_TEXT, sources: [], usage: none };
  }
  const provider = await deps.llmFor(input.tenantId);
  if (!provider) {
    const top = retrieval.passages.slice(0, PASSAGES_FOR_EXTRACT);
    const text = [
      '_No AI model is set up for this workspace, so here are the most relevant passages from your documents:_',
      ...top.map((p, i) => `>${p.content.replace(/\s+/g, ' ').slice(0, 400)} [${i + 1}]`),
    ].join('\n\n');
    await onDelta(text);
    return {
      outcome: 'extractive',
      text,
      sources: top.map((p, i) => toSource(deps.publicUrl, p, i + 1)),
      usage: none,
    };
  }
  const passages = retrieval.passages.slice(0, PASSAGES_FOR_LLM);
  const messages = buildAnswerMessages({
    question: input.question,
    thread: trimThread(input.thread, THREAD_TOKEN_BUDGET),
    passages,
    style: input.style,
    instructions: input.instructions,
  });
  // Hold text back while it could still turn out to be NO_ANSWER, so a refusal never streams half-way.
  let held = '';
  let released = false;
  const reply = await provider.llm.streamChat(
    messages,
    { model: deps.chatModel, maxTokens: MAX_ANSWER_TOKENS, temperature: 0.1 },
    async (delta) => {
      if (released) return onDelta(delta);
      held += delta;
      if (!NO_ANSWER.startsWith(held.trim())) {
        released = true;
        await onDelta(held);
      }
    },
  );
  const usage = {
    model: reply.model,
    promptTokens: reply.promptTokens,
    completionTokens: reply.completionTokens,
    keySource: provider.keySource,
  };
  const text = reply.text.trim();
  if (text === '') {
    throw new AppError({
      code: 'ai_unavailable',
      message: 'The AI provider returned an empty answer.',
      status: 502,
      expose: true,
    });
  }
  if (text === NO_ANSWER) return { outcome: 'no_sources', text: NO_SOURCES_TEXT, sources: [], usage };
  if (!released) await onDelta(held);
  const cited = new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const sources = passages
    .map((p, i) => toSource(deps.publicUrl, p, i + 1))
    .filter((s) => (cited.size === 0 ? s.position <= PASSAGES_FOR_EXTRACT : cited.has(s.position)));
  return { outcome: 'answered', text, sources, usage };
}
