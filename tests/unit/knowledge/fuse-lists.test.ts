import { describe, expect, it } from 'vitest';
import { fuseRankedLists } from '../../../src/knowledge/retrieval/fuse-lists.js';
import type { SearchHit } from '../../../src/knowledge/retrieval/hybrid-search.repo.js';
import { searchHit } from '../../support/search-hits.js';

const hit = (chunkId: string, over: Partial<SearchHit>) => searchHit({ chunkId, ...over });
const weights = { fullText: 1, semantic: 1, rrfK: 60 };

describe('fusing the full-text and vector lists of two hybrid_search calls', () => {
  it('scores each chunk by both lists, keeps each list’s columns, and cuts to k', () => {
    const fused = fuseRankedLists(
      [
        hit('7', { fullTextRank: 1, fullTextScore: 3.5, matchedAllTerms: true }),
        hit('8', { fullTextRank: 2, fullTextScore: 1.2 }),
      ],
      [hit('8', { semanticRank: 1, similarity: 0.9 }), hit('9', { semanticRank: 2, similarity: 0.8 })],
      weights,
      2,
    );
    expect(
      fused.map((h) => [h.chunkId, h.fullTextRank, h.semanticRank, h.similarity, h.matchedAllTerms]),
    ).toEqual([
      ['8', 2, 1, 0.9, false],
      ['7', 1, null, null, true],
    ]);
    expect(fused[0]?.score).toBe(1 / 62 + 1 / 61);
    expect(fused[0]?.fullTextScore).toBe(1.2);
  });

  it('breaks a tie by chunk id as a number ("9" before "10"), as the SQL orders bigints', () => {
    const fused = fuseRankedLists(
      [hit('10', { fullTextRank: 1 }), hit('9', { fullTextRank: 2 })],
      [hit('9', { semanticRank: 1 }), hit('10', { semanticRank: 2 })],
      weights,
      10,
    );
    expect(fused.map((h) => h.chunkId)).toEqual(['9', '10']);
    expect(fused[0]?.score).toBe(fused[1]?.score);
  });

  it('a chunk only the vector list found has no full-text rank, score or all-terms match', () => {
    const [only] = fuseRankedLists(
      [],
      [hit('5', { semanticRank: 1, similarity: 0.7, matchedAllTerms: true })],
      weights,
      1,
    );
    expect(only).toMatchObject({
      fullTextRank: null,
      fullTextScore: null,
      matchedAllTerms: false,
      score: 1 / 61,
    });
  });
});
