import { EMBEDDING_DIMENSIONS } from '../../ai/llm-client.js';
import { AppError } from '../../errors.js';
import type { DbClient } from '../../infra/db/database.js';
import {
  assessRelevance,
  type ConfidenceThresholds,
  DEFAULT_CONFIDENCE,
  type Relevance,
} from './confidence.js';
import { type FullTextMode, hybridSearch, type SearchHit } from './hybrid-search.repo.js';
import { mergeAdjacentHits, type Passage } from './merge-adjacent.js';

/** Fusion weights: RRF adds weight / (rrfK + rank) from each list (Supabase's hybrid-search defaults). */
export interface SearchWeights {
  fullText: number;
  semantic: number;
  rrfK: number;
}

export const DEFAULT_WEIGHTS: SearchWeights = { fullText: 1, semantic: 1, rrfK: 60 };

export interface SearchOptions {
  query: string;
  /** The query's embedding (same model as the chunks); null or absent: full-text search only. */
  embedding?: number[] | null;
  /** The model the embedding came from: chunks embedded by another model are left out of the vector half. */
  embeddingModel?: string | null;
  k: number;
  weights?: Partial<SearchWeights>;
  fullTextMode?: FullTextMode;
  confidence?: Partial<ConfidenceThresholds>;
}

export interface SearchResult {
  hits: SearchHit[];
  /** The hits with neighbouring chunks of one document joined, best first: what to put in the prompt. */
  passages: Passage[];
  relevance: Relevance;
}

/** Longest question text searched; longer text is cut (a Slack message can be 40k characters). */
export const MAX_QUERY_CHARS = 1_000;
export const MAX_K = 100;

/**
 * Hybrid retrieval for one tenant: full-text and (with an embedding) vector search fused by RRF, with
 * citation data, passages and a relevance signal. `client` must come from withTenant(db, tenantId).
 */
export async function searchKnowledge(
  client: DbClient,
  tenantId: string,
  opts: SearchOptions,
): Promise<SearchResult> {
  if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > MAX_K) {
    throw new AppError({
      code: 'bad_request',
      status: 400,
      message: `k must be a whole number from 1 to ${MAX_K}.`,
    });
  }
  const embedding = opts.embedding ?? null;
  if (embedding && (embedding.length !== EMBEDDING_DIMENSIONS || !embedding.every(Number.isFinite))) {
    // A programming or provider error, not the user's: the message stays internal.
    throw new AppError({
      code: 'embedding_invalid',
      status: 500,
      message: `Query embedding must be ${EMBEDDING_DIMENSIONS} finite numbers, got ${embedding.length}.`,
    });
  }
  const query = opts.query.slice(0, MAX_QUERY_CHARS);
  const weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const hits =
    query.trim() || embedding
      ? await hybridSearch(client, {
          tenantId,
          query,
          embedding,
          k: opts.k,
          fullTextWeight: weights.fullText,
          semanticWeight: weights.semantic,
          rrfK: weights.rrfK,
          embeddingModel: opts.embeddingModel ?? null,
          fullTextMode: opts.fullTextMode ?? 'all_then_any',
        })
      : [];
  return {
    hits,
    passages: mergeAdjacentHits(hits),
    relevance: assessRelevance(hits, { ...DEFAULT_CONFIDENCE, ...opts.confidence }),
  };
}
