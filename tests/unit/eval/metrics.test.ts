import { describe, expect, it } from 'vitest';
import { parseQrels } from '../../../scripts/eval/beir.js';
import {
  dedupeRanking,
  evaluateRankings,
  ndcgAt,
  type Qrels,
  recallAt,
  reciprocalRankAt,
} from '../../../scripts/eval/metrics.js';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));

// Worked by hand: relevant d1 (rank 2), d2 (rank 4) and d5 (never retrieved).
const ranked = ['d3', 'd1', 'd7', 'd2', 'd9'];
const binary = judged({ d1: 1, d2: 1, d5: 1 });

describe('retrieval metrics (trec_eval semantics, hand-computed)', () => {
  it('recall@k is the share of relevant documents in the first k', () => {
    expect(recallAt(ranked, binary, 1)).toBe(0);
    expect(recallAt(ranked, binary, 2)).toBeCloseTo(1 / 3, 10);
    expect(recallAt(ranked, binary, 5)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(ranked, binary, 10)).toBeCloseTo(2 / 3, 10);
  });

  it('MRR@k is 1 / the rank of the first relevant document, 0 when it is beyond k', () => {
    expect(reciprocalRankAt(ranked, binary, 10)).toBe(0.5);
    expect(reciprocalRankAt(ranked, binary, 1)).toBe(0);
    expect(reciprocalRankAt([], binary, 10)).toBe(0);
  });

  it('nDCG@k discounts by log2(rank + 1) against the ideal ranking of all judged documents', () => {
    // DCG = 1/log2(3) + 1/log2(5) = 1.061606; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.130930
    expect(ndcgAt(ranked, binary, 5)).toBeCloseTo(1.061606 / 2.13093, 5);
    // Graded: gain is the grade itself. DCG = 1 + 2/log2(3) = 2.261860; IDCG = 2 + 1/log2(3) = 2.630930
    expect(ndcgAt(['b', 'a'], judged({ a: 2, b: 1 }), 10)).toBeCloseTo(2.26186 / 2.63093, 5);
    expect(ndcgAt(['x', 'y'], binary, 10)).toBe(0);
    expect(ndcgAt(['d1', 'd2', 'd5'], binary, 10)).toBeCloseTo(1, 10);
  });

  it('a judgement of 0 is not relevant, and a query with no relevant document scores 0', () => {
    expect(recallAt(['a'], judged({ a: 0, b: 1 }), 10)).toBe(0);
    expect(recallAt(['a'], judged({ a: 0 }), 10)).toBe(0);
    expect(ndcgAt(['a'], judged({ a: 0 }), 10)).toBe(0);
  });

  it('averages over every judged query; a query without a ranking counts as 0', () => {
    const qrels: Qrels = new Map([
      ['q1', judged({ d1: 1 })],
      ['q2', judged({ d2: 1 })],
      ['q3', judged({ d3: 0 })], // nothing relevant: not a judged query
    ]);
    const m = evaluateRankings(new Map([['q1', ['d1', 'x']]]), qrels);
    expect(m).toEqual({ queries: 2, recallAt5: 0.5, recallAt10: 0.5, mrrAt10: 0.5, ndcgAt10: 0.5 });
  });

  it("keeps each document at its best chunk's place when chunk hits become a document ranking", () => {
    expect(dedupeRanking(['a', 'b', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c']);
  });
});

describe('BEIR qrels', () => {
  it('parses the header and tab-separated lines, grouping by query', () => {
    const q = parseQrels('query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t2\n\nq2\td3\t1\n');
    expect(q.get('q1')).toEqual(
      new Map([
        ['d1', 1],
        ['d2', 2],
      ]),
    );
    expect(q.get('q2')).toEqual(new Map([['d3', 1]]));
  });

  it('rejects a malformed line with its line number', () => {
    expect(() => parseQrels('query-id\tcorpus-id\tscore\nq1 d1 1\n')).toThrow(/line 2/);
  });
});
