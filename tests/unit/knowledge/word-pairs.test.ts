import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../../src/knowledge/retrieval/hybrid-search.repo.js';
import { topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { readWords } from '../../../src/knowledge/retrieval/synonyms.js';
import { pairsHeld, questionPairs, rankedByPairs } from '../../../src/knowledge/retrieval/word-pairs.js';

const pairsOf = (q: string) => [...questionPairs(q, new Set(topicWords(q).keys()))];
const termsOf = (text: string) => readWords(text).map((w) => w.term);

function hit(
  id: number,
  content: string,
  fullTextRank: number | null,
  semanticRank: number | null = null,
): SearchHit {
  return {
    chunkId: String(id),
    documentId: `d${id}`,
    title: '',
    sourceName: '',
    section: '',
    pageStart: null,
    pageEnd: null,
    ordinal: 0,
    content,
    fullTextRank,
    // BM25 scores a little apart, as near ranks' are.
    fullTextScore: fullTextRank === null ? null : 1 - fullTextRank / 20,
    matchedAllTerms: false,
    termCoverage: 0,
    semanticRank,
    similarity: null,
    score: (fullTextRank ? 1 / (60 + fullTextRank) : 0) + (semanticRank ? 1 / (60 + semanticRank) : 0),
  };
}

/** The hits reordered for the question, its pairs weighing `share`, RRF as the search fuses. */
const rank = (hits: SearchHit[], question: string, share = 3) =>
  rankedByPairs(hits, question, topicWords(question), { share, fullText: 1, semantic: 1, rrfK: 60 });

describe('word pairs: two topic words typed side by side', () => {
  it('reads the pairs of topic words a question types next to each other, never across a stop word', () => {
    expect(pairsOf('whats the most credit hours i can have banked at once')).toEqual(['credit hour']);
    expect(pairsOf('what size rental car am i allowed to book?')).toEqual(['rental size', 'car rental']);
    // "hours i can have banked": stop words part them; framing words ("how many") name no topic.
    expect(pairsOf('how many hours can i bank')).toEqual([]);
    expect(pairsOf('')).toEqual([]);
    expect(pairsOf('?? !!')).toEqual([]);
  });

  it('finds a pair in a text with its words next to each other, in either order, stop words between', () => {
    const pairs = new Set(['credit hour', 'leav request']);
    expect([...pairsHeld(pairs, termsOf('You can have up to 24 credit hours accrued.'))]).toEqual([
      'credit hour',
    ]);
    expect([
      ...pairsHeld(
        pairs,
        termsOf('Send the request for leave early.').filter((t) => t !== 'for' && t !== 'the'),
      ),
    ]).toEqual(['leav request']);
    expect([...pairsHeld(pairs, termsOf('Refunds are credited to your account within 48 hours.'))]).toEqual(
      [],
    );
  });

  it('moves a hit holding a pair above one that BM25 ranked higher, dealing the full-text ranks again', () => {
    const question = 'whats the most credit hours i can carry?';
    const hits = [
      hit(1, 'Refunds are credited to your account within 48 hours.', 1),
      hit(2, 'You can have up to 24 credit hours accrued at once.', 2),
    ];
    const ranked = rank(hits, question);
    expect(ranked.hits.map((h) => h.chunkId)).toEqual(['2', '1']);
    expect(ranked.hits.map((h) => h.fullTextRank)).toEqual([1, 2]);
    expect(ranked.hits[0]?.score).toBeCloseTo(1 / 61);
    // Each hit keeps its own words.
    expect(ranked.words[0]?.map((w) => w.word)).toContain('credit');
    // No pairs asked for, or a share of 0: the order and scores stay.
    expect(rank(hits, 'credit?').hits).toEqual(hits);
    expect(rank(hits, question, 0).hits).toEqual(hits);
  });

  it('keeps a vector-only hit where the vector list put it', () => {
    const question = 'whats the most credit hours i can carry?';
    const hits = [
      hit(3, 'Credit hours roll over.', null, 1),
      hit(1, 'credited to you after 48 hours', 1),
      hit(2, 'credit hours', 2),
    ];
    const ranked = rank(hits, question);
    const vectorOnly = ranked.hits.find((h) => h.chunkId === '3');
    expect(vectorOnly).toMatchObject({ fullTextRank: null, fullTextScore: null, semanticRank: 1 });
    expect(ranked.hits.find((h) => h.chunkId === '2')?.fullTextRank).toBe(1);
  });
});
