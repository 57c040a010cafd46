import type { RetrievedPassage } from '../../src/ai/answer.types.js';
import type { SearchHit } from '../../src/knowledge/retrieval/hybrid-search.repo.js';

/** A search hit for tests of what is done with hits (passages, fusion): found by neither list unless overridden. */
export function searchHit(over: Partial<SearchHit> & { chunkId: string }): SearchHit {
  return {
    documentId: 'd',
    title: 'Handbook',
    sourceName: 'handbook.md',
    section: '',
    pageStart: null,
    pageEnd: null,
    ordinal: 0,
    content: `chunk ${over.chunkId}`,
    fullTextRank: null,
    fullTextScore: null,
    matchedAllTerms: false,
    termCoverage: 0,
    semanticRank: null,
    similarity: null,
    score: 0,
    ...over,
  };
}

/**
 * The n-th passage the answer step is given (rank n, document n), for tests of what it does with passages:
 * quoting, the prompt's sources.
 */
export function retrievedPassage(n: number, content: string): RetrievedPassage {
  return {
    chunkId: String(n),
    documentId: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    title: `Doc ${n}`,
    section: `Section ${n}`,
    pageStart: n,
    ordinal: n,
    content,
    score: 1 / n,
    termCoverage: 0.5,
    similarity: null,
  };
}
