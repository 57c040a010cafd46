import { describe, expect, it } from 'vitest';
import { assessRelevance, DEFAULT_CONFIDENCE } from '../../../src/knowledge/retrieval/confidence.js';
import type { SearchHit } from '../../../src/knowledge/retrieval/hybrid-search.repo.js';
import { joinWithoutOverlap, mergeAdjacentHits } from '../../../src/knowledge/retrieval/merge-adjacent.js';
import { searchHit } from '../../support/search-hits.js';

function hit(p: Partial<SearchHit> & { documentId: string; ordinal: number }): SearchHit {
  return searchHit({
    chunkId: `${p.documentId}-${p.ordinal}`,
    section: 'Leave',
    content: `chunk ${p.ordinal}`,
    score: 0.01,
    ...p,
  });
}

describe('merging neighbouring chunks into passages', () => {
  it('joins consecutive chunks of one document in reading order, ranked by their best score', () => {
    const passages = mergeAdjacentHits([
      hit({ documentId: 'a', ordinal: 4, score: 0.03, pageStart: 2, pageEnd: 2 }),
      hit({ documentId: 'b', ordinal: 0, score: 0.02 }),
      hit({ documentId: 'a', ordinal: 3, score: 0.01, pageStart: 1, pageEnd: 1 }),
    ]);
    expect(passages.map((p) => [p.documentId, p.ordinals, p.score])).toEqual([
      ['a', [3, 4], 0.03],
      ['b', [0], 0.02],
    ]);
    expect(passages[0]?.content).toBe('chunk 3\n\nchunk 4');
    expect([passages[0]?.pageStart, passages[0]?.pageEnd]).toEqual([1, 2]);
    expect(passages[0]?.chunkIds).toEqual(['a-3', 'a-4']);
  });

  it('keeps chunks apart when they are not neighbours or belong to different documents', () => {
    const passages = mergeAdjacentHits([
      hit({ documentId: 'a', ordinal: 1, score: 0.03 }),
      hit({ documentId: 'a', ordinal: 3, score: 0.02 }),
      hit({ documentId: 'b', ordinal: 2, score: 0.01 }),
    ]);
    expect(passages.map((p) => p.ordinals)).toEqual([[1], [3], [2]]);
  });

  it("drops the overlap the chunker repeats at the start of the next chunk, and keeps the sections' common path", () => {
    const a = 'Leave accrues monthly. Request leave in Harbor two weeks ahead of time.';
    const b = 'Request leave in Harbor two weeks ahead of time. Carried-over days expire on 31 March.';
    expect(joinWithoutOverlap(a, b)).toBe(
      'Leave accrues monthly. Request leave in Harbor two weeks ahead of time. Carried-over days expire on 31 March.',
    );
    const [p] = mergeAdjacentHits([
      hit({ documentId: 'a', ordinal: 0, section: 'Leave > Requesting', content: a }),
      hit({ documentId: 'a', ordinal: 1, section: 'Leave > Carrying over', content: b }),
    ]);
    expect(p?.section).toBe('Leave');
  });

  it("reads a table's column names once when a chunk starting mid-table repeats them", () => {
    const a = 'Levels\n\n| Level | Expected |\n| L1 | Ships small changes. |';
    const b = '| Level | Expected |\n| L2 | Ships features. |';
    expect(joinWithoutOverlap(a, b)).toBe(
      'Levels\n\n| Level | Expected |\n| L1 | Ships small changes. |\n| L2 | Ships features. |',
    );
  });

  it('does not mistake a short accidental match for overlap', () => {
    expect(joinWithoutOverlap('ends with the', 'the next chunk')).toBe('ends with the\n\nthe next chunk');
  });
});

describe('the relevance signal behind "I don\'t know"', () => {
  it("is confident when a top hit holds enough of the question's words", () => {
    const r = assessRelevance([
      hit({ documentId: 'a', ordinal: 0, termCoverage: DEFAULT_CONFIDENCE.minTermCoverage }),
    ]);
    expect(r).toMatchObject({ confident: true, basis: 'terms' });
  });

  it('is confident on a near enough vector even when the words differ (a paraphrase)', () => {
    const r = assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0.2, similarity: 0.55 })]);
    expect(r).toMatchObject({ confident: true, basis: 'similarity', bestSimilarity: 0.55 });
  });

  it('is not confident on weak matches, on no hits, or on a strong hit below the top few', () => {
    expect(
      assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0.3, similarity: 0.2 })]),
    ).toMatchObject({
      confident: false,
      basis: 'none',
    });
    expect(assessRelevance([])).toMatchObject({ confident: false, relevant: false, bestSimilarity: null });
    const buried = [0, 1, 2].map((i) => hit({ documentId: 'a', ordinal: i, termCoverage: 0.1 }));
    buried.push(hit({ documentId: 'b', ordinal: 0, termCoverage: 1 }));
    expect(assessRelevance(buried).confident).toBe(false);
  });

  it('is confident by words only on a hit allowed to be quoted (one holding the thing asked about), still close otherwise', () => {
    const hits = [
      hit({ documentId: 'a', ordinal: 0, termCoverage: 0.6 }),
      hit({ documentId: 'b', ordinal: 0, termCoverage: 0.55 }),
    ];
    expect(assessRelevance(hits, DEFAULT_CONFIDENCE, [false, false])).toMatchObject({
      confident: false,
      close: true,
      relevant: true,
      bestTermCoverage: 0.6,
    });
    expect(assessRelevance(hits, DEFAULT_CONFIDENCE, [false, true]).confident).toBe(true);
  });

  it('counts a top hit holding a fifth of the question as close enough to show as the closest, short of confident', () => {
    const close = assessRelevance([
      hit({ documentId: 'a', ordinal: 0, termCoverage: DEFAULT_CONFIDENCE.minCloseCoverage }),
    ]);
    expect(close).toMatchObject({ confident: false, close: true });
    expect(assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0.1 })]).close).toBe(false);
    // Below the top few, a hit is not close either: nothing near the top would be shown.
    const buried = [0, 1, 2].map((i) => hit({ documentId: 'a', ordinal: i, termCoverage: 0 }));
    buried.push(hit({ documentId: 'b', ordinal: 0, termCoverage: 0.4 }));
    expect(assessRelevance(buried).close).toBe(false);
    expect(assessRelevance([]).close).toBe(false);
  });

  it('counts anything sharing a word, or a near enough vector, as related (the gate before a model)', () => {
    expect(assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0.2 })]).relevant).toBe(true);
    expect(
      assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0, similarity: 0.35 })]).relevant,
    ).toBe(true);
    expect(
      assessRelevance([hit({ documentId: 'a', ordinal: 0, termCoverage: 0, similarity: 0.1 })]).relevant,
    ).toBe(false);
  });
});
