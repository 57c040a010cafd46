import type { Embedder } from '../../src/ai/llm-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import type { FullTextMode } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { mergeAdjacentHits } from '../../src/knowledge/retrieval/merge-adjacent.js';
import { type SearchWeights, searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import type { BeirDataset, BeirQuery } from './beir.js';
import { dedupeRanking, evaluateRankings, type RetrievalMetrics } from './metrics.js';

/** Chunks fetched per query: enough that, after keeping each document's best chunk, 10 documents remain. */
export const CHUNKS_PER_QUERY = 40;
const EMBED_BATCH = 256;

export interface EvalOptions {
  /** With an embedder: hybrid (queries embedded with `embeddingModel`); without: full-text only. */
  embedder: Embedder | null;
  embeddingModel: string;
  weights?: Partial<SearchWeights>;
  fullTextMode?: FullTextMode;
}

/** One evaluation run: the quality metrics and how well "I don't know" was judged. */
export interface EvalResult {
  mode: 'full-text' | 'hybrid';
  metrics: RetrievalMetrics;
  /** Share of judged (answerable) queries retrieval was confident about. */
  confidentOnAnswerable: number;
  /** Share of `unanswerable.jsonl` queries it was NOT confident about (null when the dataset has none). */
  abstainedOnUnanswerable: number | null;
  /** Per query: document ids best first, the signal, and whether the first result was relevant. */
  rankings: Map<string, string[]>;
  signals: Map<
    string,
    {
      confident: boolean;
      bestTermCoverage: number;
      bestSimilarity: number | null;
      terms: string[];
      unmatchedTerms: string[];
    }
  >;
  msPerQuery: number;
  /** The top 6 hits of every query (what the answer step reads) and the passages they merge into. */
  adjacentMerge: { hits: number; passages: number };
}

/** Hits per question that the answer step puts in its prompt. */
const PROMPT_HITS = 6;

async function embedAll(embedder: Embedder, model: string, texts: string[]): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    out.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH), { model })).vectors);
  }
  return out;
}

/**
 * Runs every judged query (and every unanswerable one) through `searchKnowledge` in the tenant, maps
 * chunk hits to corpus document ids (each document at its best chunk's place) and scores the rankings.
 */
export async function evaluateRetrieval(
  db: Database,
  tenantId: string,
  dataset: BeirDataset,
  corpusIdOf: Map<string, string>,
  opts: EvalOptions,
): Promise<EvalResult> {
  const all: BeirQuery[] = [...dataset.queries, ...dataset.unanswerable];
  const embedder = opts.embedder;
  const vectors = opts.embedder
    ? await embedAll(
        opts.embedder,
        opts.embeddingModel,
        all.map((q) => q.text),
      )
    : null;
  const rankings = new Map<string, string[]>();
  const signals: EvalResult['signals'] = new Map();
  const adjacentMerge = { hits: 0, passages: 0 };
  const started = performance.now();
  for (const [i, q] of all.entries()) {
    const result = await withTenant(db, tenantId, (c) =>
      searchKnowledge(c, tenantId, {
        query: q.text,
        embedding: vectors?.[i] ?? null,
        embeddingModel: opts.embedder ? opts.embeddingModel : null,
        // As the answer step's retriever does: a question whose typos were read is embedded again.
        embedQuery: embedder
          ? async (text) => (await embedAll(embedder, opts.embeddingModel, [text]))[0] ?? null
          : undefined,
        k: CHUNKS_PER_QUERY,
        weights: opts.weights,
        fullTextMode: opts.fullTextMode,
      }),
    );
    const docs = dedupeRanking(result.hits.map((h) => corpusIdOf.get(h.documentId) ?? h.documentId));
    rankings.set(q.id, docs.slice(0, 10));
    const top = result.hits.slice(0, PROMPT_HITS);
    adjacentMerge.hits += top.length;
    adjacentMerge.passages += mergeAdjacentHits(top).length;
    const { confident, bestTermCoverage, bestSimilarity, terms, unmatchedTerms } = result.relevance;
    signals.set(q.id, { confident, bestTermCoverage, bestSimilarity, terms, unmatchedTerms });
  }
  const msPerQuery = (performance.now() - started) / Math.max(1, all.length);
  const share = (qs: BeirQuery[], want: boolean) =>
    qs.length === 0 ? null : qs.filter((q) => signals.get(q.id)?.confident === want).length / qs.length;
  return {
    mode: opts.embedder ? 'hybrid' : 'full-text',
    metrics: evaluateRankings(rankings, dataset.qrels),
    confidentOnAnswerable: share(dataset.queries, true) ?? 0,
    abstainedOnUnanswerable: share(dataset.unanswerable, false),
    rankings,
    signals,
    msPerQuery,
    adjacentMerge,
  };
}

/** A one-line summary of a run for the console. */
export function formatResult(r: EvalResult): string {
  const m = r.metrics;
  const f = (x: number) => x.toFixed(3);
  const abstain = r.abstainedOnUnanswerable === null ? 'n/a' : f(r.abstainedOnUnanswerable);
  return `${r.mode.padEnd(9)}  recall@5 ${f(m.recallAt5)}  recall@10 ${f(m.recallAt10)}  MRR@10 ${f(m.mrrAt10)}  nDCG@10 ${f(m.ndcgAt10)}  | confident on answerable ${f(r.confidentOnAnswerable)}, abstained on unanswerable ${abstain}  | ${r.msPerQuery.toFixed(1)} ms/query | top-${PROMPT_HITS} hits ${r.adjacentMerge.hits} → ${r.adjacentMerge.passages} passages`;
}
