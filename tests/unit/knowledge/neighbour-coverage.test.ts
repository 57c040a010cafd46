import { describe, expect, it } from 'vitest';
import { neighbourIndexes } from '../../../src/knowledge/retrieval/merge-adjacent.js';
import { contentWords, topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { hitCoverages, termsOfWords, termWeights } from '../../../src/knowledge/retrieval/term-weights.js';

describe('the gate reads a hit with its retrieved neighbours', () => {
  it('groups each hit with the retrieved chunks right before and after it in the same document', () => {
    const hits = [
      { documentId: 'a', ordinal: 4 },
      { documentId: 'b', ordinal: 5 },
      { documentId: 'a', ordinal: 3 },
      { documentId: 'a', ordinal: 5 },
      { documentId: 'a', ordinal: 7 },
    ];
    expect(neighbourIndexes(hits)).toEqual([
      [0, 2, 3], // a/4: a/3 and a/5
      [1], // b/5: a/4 and a/6 are another document's, or not retrieved
      [0, 2], // a/3: a/4 only (a/5 is two away, not joined through a/4)
      [0, 3], // a/5: a/4 (a/6 was not retrieved, so a/7 is not next to it)
      [4],
    ]);
    expect(neighbourIndexes([])).toEqual([]);
  });

  it('counts a topic word the neighbouring chunk holds, and only for the hits next to it', () => {
    const question = 'which bank holidays does the office close for, and who covers support?';
    const texts = [
      'Office calendar: the office closes on every bank holiday of the country it is in.',
      'Support rota: on those days the on-call engineer covers customer support alone.',
      'Office calendar: the office closes on every bank holiday of the country it is in.',
    ];
    const hitWords = texts.map(contentWords);
    const hitTerms = hitWords.map(termsOfWords);
    const weights = termWeights(question, hitTerms);
    const typed = topicWords(question);
    const alone = hitCoverages(weights, typed, hitWords, hitTerms, [[0], [1], [2]]);
    // Hits 0 and 1 are consecutive chunks of one document; hit 2 is the same text in another document.
    const joined = hitCoverages(weights, typed, hitWords, hitTerms, [[0, 1], [0, 1], [2]]);
    expect(joined[0]).toBeGreaterThan(alone[0] as number);
    expect(joined[0]).toBeGreaterThan(alone[1] as number);
    expect(joined[1]).toBe(joined[0]);
    expect(joined[2]).toBe(alone[2]);
    // The group's coverage is the coverage of the joined text, not a sum of the parts' shares.
    const whole = hitCoverages(
      weights,
      typed,
      [contentWords(`${texts[0]}\n${texts[1]}`)],
      [termsOfWords(contentWords(`${texts[0]}\n${texts[1]}`))],
      [[0]],
    );
    expect(joined[0]).toBeCloseTo(whole[0] as number, 10);
    expect(joined[0]).toBeLessThanOrEqual(1);
  });
});
