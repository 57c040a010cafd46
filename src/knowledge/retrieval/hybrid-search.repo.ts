import type { Queryable } from '../../infra/db/migrate.js';

/** How full-text candidates are matched: every query word, any query word, or all-first-then-any. */
export type FullTextMode = 'all' | 'any' | 'all_then_any';

/** One retrieved chunk with its citation data and the scores behind its place in the ranking. */
export interface SearchHit {
  chunkId: string;
  documentId: string;
  /** The document's current title and the name it was uploaded under. */
  title: string;
  sourceName: string;
  /** Heading path inside the document, joined with ' > ' ('' when the chunk has no heading). */
  section: string;
  pageStart: number | null;
  pageEnd: number | null;
  ordinal: number;
  content: string;
  /** Position in the full-text list (1 = best), null when full-text did not find it. */
  fullTextRank: number | null;
  /**
   * BM25 score within the tenant (higher is better), raised for the word pairs the question types (word-pairs.ts);
   * comparable only between hits of one query.
   */
  fullTextScore: number | null;
  /** The chunk holds every word of the query (websearch semantics). */
  matchedAllTerms: boolean;
  /**
   * Share (0..1) of the query's distinct words found in the chunk, as SQL counts them; searchKnowledge
   * replaces it with the share of the question's topic words (question-terms.ts).
   */
  termCoverage: number;
  /**
   * Set by searchKnowledge: the share of the whole message's topic words, the situation told around the question
   * included (`termCoverage` may count what is asked alone, situation-words.ts).
   */
  messageCoverage?: number;
  /** Position in the vector list (1 = nearest), null without an embedding or when not among the nearest. */
  semanticRank: number | null;
  /** Cosine similarity (1 - cosine distance), null when the vector half did not find it. */
  similarity: number | null;
  /** Reciprocal Rank Fusion score: what the hits are ordered by. */
  score: number;
}

export interface HybridSearchParams {
  tenantId: string;
  query: string;
  embedding: number[] | null;
  k: number;
  fullTextWeight: number;
  semanticWeight: number;
  rrfK: number;
  embeddingModel: string | null;
  fullTextMode: FullTextMode;
  /** Candidates per list before fusion (null: the function's default, 4 × k and at least 40). */
  candidates?: number | null;
  /** Only documents of these collections (a channel's scope); null or absent: every collection. */
  collectionIds?: string[] | null;
}

interface HitRow {
  chunk_id: string;
  document_id: string;
  title: string;
  source_name: string;
  section: string;
  page_start: number | null;
  page_end: number | null;
  ordinal: number;
  content: string;
  full_text_rank: number | null;
  full_text_score: number | null;
  matched_all_terms: boolean;
  term_coverage: number;
  semantic_rank: number | null;
  similarity: number | null;
  score: number;
}

/** pgvector's text form; the function's parameter type checks the dimensions. */
export const toVectorLiteral = (v: number[]): string => `[${v.join(',')}]`;

/**
 * Calls `lore.hybrid_search` (supabase/migrations/20261123002000_hybrid_search.sql; full-text ranked by
 * BM25 since 20261124008000_bm25_full_text.sql, scoped to collections since 20261204000300_collections.sql;
 * ef_search sized by the tenant, the HNSW nearest neighbours in a statement of their own and full-text
 * candidates through lore.full_text_chunk_ids since 20261206000100_hybrid_search_ann_statement_full_text_ids.sql).
 * The function reads the question through lore.searchable_text, as the chunks' tsvector reads their text
 * (20261211000100_searchable_text_parts.sql), since 20261212000100_hybrid_search_reads_searchable_text.sql. Run it on a client from withTenant: the function is
 * SECURITY INVOKER, so row-level security fences it to that tenant, and only there does its full-text half
 * get the GIN index (the helper answers for app.tenant_id only).
 */
export async function hybridSearch(c: Queryable, p: HybridSearchParams): Promise<SearchHit[]> {
  const { rows } = await c.query<HitRow>(
    `SELECT * FROM lore.hybrid_search(
       p_tenant => $1, p_query => $2, p_embedding => $3::halfvec, p_k => $4,
       p_full_text_weight => $5, p_semantic_weight => $6, p_rrf_k => $7, p_embedding_model => $8, p_candidates => $9,
       p_full_text_mode => $10, p_collections => $11::uuid[])`,
    [
      p.tenantId,
      p.query,
      p.embedding ? toVectorLiteral(p.embedding) : null,
      p.k,
      p.fullTextWeight,
      p.semanticWeight,
      p.rrfK,
      p.embeddingModel,
      p.candidates ?? null,
      p.fullTextMode,
      p.collectionIds ?? null,
    ],
  );
  return rows.map((r) => ({
    chunkId: String(r.chunk_id),
    documentId: r.document_id,
    title: r.title,
    sourceName: r.source_name,
    section: r.section,
    pageStart: r.page_start,
    pageEnd: r.page_end,
    ordinal: r.ordinal,
    content: r.content,
    fullTextRank: r.full_text_rank,
    fullTextScore: r.full_text_score,
    matchedAllTerms: r.matched_all_terms,
    termCoverage: r.term_coverage,
    semanticRank: r.semantic_rank,
    similarity: r.similarity,
    score: r.score,
  }));
}
