import { aiError } from '../errors.js';
import { snippetsFitAnswerType } from '../knowledge/retrieval/answer-type.js';
import { applySpellingFixes } from '../knowledge/retrieval/spelling.js';
import { holdBackMarker, isAbstention } from './abstention.js';
import {
  type AnswerResult,
  type AnswerSource,
  type AnswerTrace,
  PASSAGES_FOR_EXTRACT,
  type RetrievalScope,
  type RetrievedPassage,
  type Retriever,
  type ThreadMessage,
} from './answer.types.js';
import { citationUrl } from './citation-url.js';
import { quotesFor } from './extractive-quotes.js';
import type { LlmFor } from './llm-for-tenant.js';
import { passagesForPrompt } from './prompt-passages.js';
import { buildAnswerMessages } from './prompts.js';
import { rewriteFollowUp } from './rewrite-question.js';
import { SMALL_TALK_REPLIES, type SmallTalk, smallTalkOf } from './small-talk.js';
import { trimThread } from './thread-context.js';

export interface AnswerDeps {
  retrieve: Retriever;
  /** The tenant's own key's client, else the platform's, else null (extractive answers). */
  llmFor: LlmFor;
  chatModel: string;
  publicUrl: string;
  /** Told when rewriting a thread follow-up failed (the answer goes on with the plain follow-up). */
  onRewriteError?: (err: unknown) => void;
}

export interface AnswerInput {
  tenantId: string;
  question: string;
  thread: ThreadMessage[];
  style: 'concise' | 'detailed';
  instructions: string;
  /** The collections this question may draw on (its channel's, or the workspace default). */
  scope: RetrievalScope;
  /** The channel's own instructions (tone, audience), added after the workspace's. */
  channelInstructions?: string;
}

/**
 * Sources in the model's prompt, and the tokens their text may take: 8 rather than 6 put the answer in the
 * prompt more often on every held-out set, and 10 of 30 retrieved chunks rather than 8 of 20 on two shipped sets
 * and a blind one, 12 nowhere more (BENCHMARKS.md, "Answer quality", 2026-12-05). The budget binds only on a
 * handbook of long sections (Quillmark's prompts average about 3,500 tokens) and bounds long passages; elsewhere
 * prompts hold 1,300–2,000 tokens.
 */
const PASSAGES_FOR_LLM = 10;
const SOURCE_TOKEN_BUDGET = 3_000;
const THREAD_TOKEN_BUDGET = 1_500;
const MAX_ANSWER_TOKENS = 700;

export const NO_SOURCES_TEXT =
  "I couldn't find this in your workspace's documents, so I won't guess. I've noted the question for your admins: adding a document that covers it lets me answer next time.";

/**
 * Without a model, a question whose passages are close but not confidently the answer (often a member's own
 * words for what the handbook says otherwise: "my grandad died" for bereavement leave) gets this, with the
 * passages that come closest under it, so a member whose answer is there is not sent away empty-handed
 * (confidence.ts `minCloseCoverage`).
 */
export const CLOSEST_PASSAGES_TEXT =
  "I couldn't find a clear answer to this in your workspace's documents, so I won't guess. These passages come closest: check whether they cover your case. I've noted the question for your admins.";

/**
 * The same, when what was missing is known: the thing the question asks whether there is ("does health insurance
 * cover IVF?"), which no top passage holds. Saying so tells the member why the passages below are not the answer.
 */
export const closestPassagesWithout = (thing: string) =>
  `I couldn't find anything about “${thing}” in your workspace's documents, so I won't guess. These passages come closest: check whether they cover your case. I've noted the question for your admins.`;

/** "… do we get a day off for that?": no passage speaks to what the member told (search.service.ts `pointsBack`). */
export const closestPassagesForSituation = (told: string) =>
  `I couldn't find anything in your workspace's documents that speaks to your situation (“${told}”), so I won't guess. These passages come closest: check whether they cover your case. I've noted the question for your admins.`;

function toSource(publicUrl: string, p: RetrievedPassage, position: number): AnswerSource {
  return {
    position,
    documentId: p.documentId,
    chunkId: p.chunkId,
    title: p.title,
    section: p.section,
    pageStart: p.pageStart,
    score: p.score,
    url: citationUrl(publicUrl, p),
    excerpt: p.content.length > 300 ? `${p.content.slice(0, 297)}…` : p.content,
  };
}

const NO_USAGE = { model: '', promptTokens: 0, completionTokens: 0, keySource: 'none' as const };

async function smallTalkReply(
  talk: SmallTalk,
  onDelta: (text: string) => Promise<void> | void,
): Promise<AnswerResult> {
  const text = SMALL_TALK_REPLIES[talk];
  await onDelta(text);
  return { outcome: 'small_talk', text, sources: [], usage: NO_USAGE };
}

/** A short follow-up ("and for contractors?") is searched together with the question before it. */
export function searchQueryFor(question: string, thread: ThreadMessage[]): string {
  const words = question.trim().split(/\s+/).length;
  const previous = [...thread].reverse().find((m) => m.role === 'user')?.text;
  return words < 8 && previous ? `${previous} ${question}` : question;
}

/**
 * Answers a question from the tenant's knowledge base: retrieve → nothing relevant? say so → no model?
 * quote the best passages when retrieval is confident → else the model judges the passages and streams a
 * cited answer, or says NO_ANSWER (→ "I don't know"). `onDelta` receives the text as it is written (never
 * any part of the marker).
 */
export async function answerQuestion(
  deps: AnswerDeps,
  input: AnswerInput,
  onDelta: (text: string) => Promise<void> | void = () => {},
): Promise<AnswerResult> {
  // "hi", "thanks!", "what can you do?": a short reply of its own, before any search or model call.
  const talk = smallTalkOf(input.question);
  if (talk) return smallTalkReply(talk, onDelta);
  const provider = await deps.llmFor(input.tenantId);
  // In a thread, the model rewrites the follow-up into a standalone question for search; without a model
  // (or if that call fails) a short follow-up is searched together with the question before it.
  let searchQuery = searchQueryFor(input.question, input.thread);
  let rewritten = false;
  const rewriteUsage = { promptTokens: 0, completionTokens: 0 };
  if (provider && input.thread.some((m) => m.role === 'user')) {
    try {
      const r = await rewriteFollowUp(provider.llm, deps.chatModel, input.question, input.thread);
      searchQuery = r.text;
      rewritten = true;
      rewriteUsage.promptTokens = r.promptTokens;
      rewriteUsage.completionTokens = r.completionTokens;
    } catch (err) {
      deps.onRewriteError?.(err);
    }
  }
  // The client found above embeds the search too: the tenant's key is looked up once per answer.
  const retrieval = await deps.retrieve(input.tenantId, searchQuery, input.scope, provider);
  // Typos retrieval read as the documents' words: quotes and the playground use the question as searched.
  const spelling = retrieval.spelling ?? [];
  const asked = applySpellingFixes(input.question, spelling);
  const trace = (declinedBy: AnswerTrace['declinedBy']): AnswerTrace => ({
    searchQuery: applySpellingFixes(searchQuery, spelling),
    rewritten,
    passages: retrieval.passages.map(({ title, section, score, termCoverage, similarity }) => ({
      title,
      section,
      score,
      termCoverage,
      similarity,
    })),
    confident: retrieval.confident,
    relevant: retrieval.relevant,
    declinedBy,
    spelling,
    situation: retrieval.situation ?? [],
    askedAbout: retrieval.askedAbout ?? null,
    pointsBack: retrieval.pointsBack ? { held: retrieval.pointsBack.held } : null,
  });
  // With a model, retrieval only declines when nothing related came back; without one, quoted passages
  // are the answer, so they must be confidently relevant, and what the member would see must hold the
  // kind of thing asked for ("how many…": a count of it). Short of that, close passages are still shown,
  // as the closest rather than as the answer.
  // Quoted as the answer or as the closest (extractive-quotes.ts).
  const { passages: top, snippets } =
    !provider && (retrieval.confident || retrieval.close)
      ? quotesFor(asked, retrieval)
      : { passages: retrieval.passages.slice(0, PASSAGES_FOR_EXTRACT), snippets: [] };
  const enough = provider
    ? retrieval.relevant
    : retrieval.confident && snippetsFitAnswerType(asked, snippets);
  const quoted = async (header: string, outcome: 'extractive' | 'no_sources'): Promise<AnswerResult> => {
    // Every line of a quote (a table's rows are lines of their own) opens with ">": Slack quotes line by line.
    const quote = (s: string, n: number) => `${s.replace(/^/gm, '>')} [${n}]`;
    const text = [header, ...snippets.map((s, i) => quote(s, i + 1))].join('\n\n');
    await onDelta(text);
    return {
      outcome,
      text,
      sources: top.map((p, i) => toSource(deps.publicUrl, p, i + 1)),
      usage: NO_USAGE,
      trace: trace(outcome === 'extractive' ? null : 'retrieval'),
    };
  };
  if (!enough && !provider && retrieval.close && top.length > 0) {
    const missing = retrieval.askedAbout?.held === false ? retrieval.askedAbout.word : null;
    const untold = retrieval.pointsBack?.held === false ? retrieval.pointsBack.told : null;
    const header = missing
      ? closestPassagesWithout(missing)
      : untold
        ? closestPassagesForSituation(untold)
        : CLOSEST_PASSAGES_TEXT;
    return quoted(header, 'no_sources');
  }
  if (!enough || retrieval.passages.length === 0) {
    return {
      outcome: 'no_sources',
      text: NO_SOURCES_TEXT,
      sources: [],
      // The rewrite call, when there was one, was spent and is metered.
      usage:
        rewritten && provider
          ? { model: deps.chatModel, ...rewriteUsage, keySource: provider.keySource }
          : NO_USAGE,
      trace: trace('retrieval'),
    };
  }
  if (!provider) {
    return quoted(
      '_No AI model is set up for this workspace, so here are the most relevant passages from your documents:_',
      'extractive',
    );
  }
  const passages = passagesForPrompt(retrieval.passages, PASSAGES_FOR_LLM, SOURCE_TOKEN_BUDGET);
  const messages = buildAnswerMessages({
    question: input.question,
    thread: trimThread(input.thread, THREAD_TOKEN_BUDGET),
    passages,
    style: input.style,
    instructions: input.instructions,
    channelInstructions: input.channelInstructions ?? '',
  });
  const stream = holdBackMarker(onDelta);
  const reply = await provider.llm.streamChat(
    messages,
    { model: deps.chatModel, maxTokens: MAX_ANSWER_TOKENS, temperature: 0.1 },
    stream.push,
  );
  const usage = {
    model: reply.model,
    promptTokens: reply.promptTokens + rewriteUsage.promptTokens,
    completionTokens: reply.completionTokens + rewriteUsage.completionTokens,
    keySource: provider.keySource,
  };
  const text = reply.text.trim();
  if (text === '') {
    throw aiError('ai_unavailable', 'The AI provider returned an empty answer.');
  }
  if (isAbstention(text)) {
    return { outcome: 'no_sources', text: NO_SOURCES_TEXT, sources: [], usage, trace: trace('model') };
  }
  await stream.flush();
  const cited = new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const sources = passages
    .map((p, i) => toSource(deps.publicUrl, p, i + 1))
    .filter((s) => (cited.size === 0 ? s.position <= PASSAGES_FOR_EXTRACT : cited.has(s.position)));
  return { outcome: 'answered', text, sources, usage, trace: trace(null) };
}
