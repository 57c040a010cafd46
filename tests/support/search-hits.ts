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
