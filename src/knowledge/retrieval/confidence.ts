import type { SearchHit } from './hybrid-search.repo.js';

/**
 * When retrieval counts as having found something worth answering from. Calibrated on the shipped
 * evaluation set (tests/fixtures/eval: answerable questions vs `unanswerable.jsonl`); see BENCHMARKS.md.
 */
export interface ConfidenceThresholds {
  /** Least share of the question's words one of the top hits must contain. */
  minTermCoverage: number;
  /**
   * Least cosine similarity of the nearest chunk. Not calibrated on a real embedding model here (no key in
   * CI): 0.4 is a conservative prior for text-embedding-3-small, where unrelated text scores ≈ 0.1–0.25.
   */
  minSimilarity: number;
  /** How many of the top hits are looked at. */
  topHits: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceThresholds = {
  minTermCoverage: 0.6,
  minSimilarity: 0.4,
  topHits: 3,
};

/** The relevance signal the answer step uses to decide between answering and "I don't know". */
export interface Relevance {
  confident: boolean;
  /** What made it confident (or 'none'). */
  basis: 'terms' | 'similarity' | 'none';
  bestTermCoverage: number;
  bestSimilarity: number | null;
}

/** Judges a ranked list of hits: confident when a top hit covers enough of the question or is near enough. */
export function assessRelevance(hits: SearchHit[], t: ConfidenceThresholds = DEFAULT_CONFIDENCE): Relevance {
  const top = hits.slice(0, t.topHits);
  const bestTermCoverage = Math.max(0, ...top.map((h) => h.termCoverage));
  const sims = top.map((h) => h.similarity).filter((s): s is number => s !== null);
  const bestSimilarity = sims.length ? Math.max(...sims) : null;
  if (top.length > 0 && bestTermCoverage >= t.minTermCoverage) {
    return { confident: true, basis: 'terms', bestTermCoverage, bestSimilarity };
  }
  if (bestSimilarity !== null && bestSimilarity >= t.minSimilarity) {
    return { confident: true, basis: 'similarity', bestTermCoverage, bestSimilarity };
  }
  return { confident: false, basis: 'none', bestTermCoverage, bestSimilarity };
}
