import { describe, expect, it } from 'vitest';
import { formatBreakdown, noModelOutcome } from '../../../scripts/eval/miss-reasons.js';
import type { RetrievedPassage } from '../../../src/ai/answer.types.js';

const passage = (content: string): RetrievedPassage => ({
  chunkId: '1',
  documentId: 'd',
  title: 't',
  section: '',
  pageStart: null,
  ordinal: 0,
  content,
  score: 0.1,
  termCoverage: 0.5,
  similarity: null,
});

describe('where a no-model answer was lost', () => {
  const passages = ['a', 'b', 'c', 'answer here'].map(passage);
  const holds = (p: RetrievedPassage) => p.content.includes('answer');

  it('blames the gate only when a quoted passage held the answer', () => {
    expect(noModelOutcome(false, true, passages.slice(1), 3, holds)).toBe('declined, answer in top 3');
    expect(noModelOutcome(false, true, passages, 3, holds)).toBe('declined, answer ranked below 3');
    expect(noModelOutcome(false, true, passages.slice(0, 3), 3, holds)).toBe('declined, not retrieved');
  });

  it('tells a snippet that left the answer out from retrieval that ranked it too low', () => {
    expect(noModelOutcome(false, false, passages.slice(1), 3, holds)).toBe('quoted, snippet missed it');
    expect(noModelOutcome(false, false, passages, 3, holds)).toBe('quoted, answer ranked below 3');
    expect(noModelOutcome(true, false, passages, 3, holds)).toBe('shown');
  });

  it('prints the counts in answer-step order', () => {
    expect(formatBreakdown(['quoted, snippet missed it', 'shown', 'shown'])).toBe(
      'shown: 2 | quoted, snippet missed it: 1',
    );
  });
});
