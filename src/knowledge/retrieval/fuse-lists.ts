import type { SearchHit } from './hybrid-search.repo.js';

/**
 * Reciprocal Rank Fusion of a full-text list and a vector list that `lore.hybrid_search` returned from two
 * calls, one half each (search.service.ts runs them on two connections at once): the same fusion as the
 * function's own (its `fused` CTE and final ORDER BY): each hit scores weight / (rrfK + rank) from each list
 * it is in, best first, ties by chunk id, the first `k` kept. A hit of both lists keeps the full-text list's
 * columns and takes its vector rank and similarity from the other. A hit only the vector list found has
 * `matchedAllTerms` false (the function alone would test its words against the query).
 */
export function fuseRankedLists(
  fullText: readonly SearchHit[],
  vector: readonly SearchHit[],
  weights: { fullText: number; semantic: number; rrfK: number },
  k: number,
): SearchHit[] {
  const byId = new Map<string, SearchHit>();
  for (const h of fullText) byId.set(h.chunkId, { ...h, semanticRank: null, similarity: null });
  for (const h of vector) {
    const seen = byId.get(h.chunkId);
    byId.set(
      h.chunkId,
      seen
        ? { ...seen, semanticRank: h.semanticRank, similarity: h.similarity }
        : { ...h, fullTextRank: null, fullTextScore: null, matchedAllTerms: false },
    );
  }
  // The hits in byId are copies made above: scored in place.
  const fused = [...byId.values()];
  for (const h of fused)
    h.score =
      (h.fullTextRank === null ? 0 : weights.fullText / (weights.rrfK + h.fullTextRank)) +
      (h.semanticRank === null ? 0 : weights.semantic / (weights.rrfK + h.semanticRank));
  fused.sort((a, b) => b.score - a.score || compareIds(a.chunkId, b.chunkId));
  return fused.slice(0, k);
}

/** Chunk ids are bigints in text: shorter is smaller, then by digits. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
