/** Relevance judgements: query id → (document id → grade); a grade above 0 means relevant. */
export type Qrels = Map<string, Map<string, number>>;

/** The four numbers the evaluation reports, averaged over every judged query. */
export interface RetrievalMetrics {
  queries: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
  ndcgAt10: number;
}

const relevantCount = (judged: Map<string, number>) => [...judged.values()].filter((g) => g > 0).length;

/** Share of the relevant documents found in the first k (0 when the query has none). */
export function recallAt(ranked: string[], judged: Map<string, number>, k: number): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  return ranked.slice(0, k).filter((id) => (judged.get(id) ?? 0) > 0).length / total;
}

/** 1 / rank of the first relevant document within the first k, else 0. */
export function reciprocalRankAt(ranked: string[], judged: Map<string, number>, k: number): number {
  const i = ranked.slice(0, k).findIndex((id) => (judged.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/**
 * nDCG@k with trec_eval's semantics (as BEIR and MTEB report it): gain = the judged grade, discount
 * log2(rank + 1), ideal ranking built from all of the query's judged documents.
 */
export function ndcgAt(ranked: string[], judged: Map<string, number>, k: number): number {
  const dcg = ranked
    .slice(0, k)
    .reduce((sum, id, i) => sum + Math.max(0, judged.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Chunk hits → document ranking: each document at the place of its best chunk, later duplicates dropped. */
export function dedupeRanking(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Averages the metrics over every query in `qrels`; a query with no ranking scores 0 but still counts. */
export function evaluateRankings(rankings: Map<string, string[]>, qrels: Qrels): RetrievalMetrics {
  const judgedQueries = [...qrels].filter(([, judged]) => relevantCount(judged) > 0);
  const sum = { recallAt5: 0, recallAt10: 0, mrrAt10: 0, ndcgAt10: 0 };
  for (const [queryId, judged] of judgedQueries) {
    const ranked = rankings.get(queryId) ?? [];
    sum.recallAt5 += recallAt(ranked, judged, 5);
    sum.recallAt10 += recallAt(ranked, judged, 10);
    sum.mrrAt10 += reciprocalRankAt(ranked, judged, 10);
    sum.ndcgAt10 += ndcgAt(ranked, judged, 10);
  }
  const n = judgedQueries.length;
  const avg = (x: number) => (n === 0 ? 0 : x / n);
  return {
    queries: n,
    recallAt5: avg(sum.recallAt5),
    recallAt10: avg(sum.recallAt10),
    mrrAt10: avg(sum.mrrAt10),
    ndcgAt10: avg(sum.ndcgAt10),
  };
}
