import { describe, expect, it } from 'vitest';
import { matchedSentences } from '../../../src/knowledge/retrieval/matched-sentences.js';

describe('matchedSentences (which sentences of a cited passage are shown in bold)', () => {
  it('marks the sentences holding the question topic words, stems and synonyms included', () => {
    const pieces = matchedSentences(
      'How much PTO do I get when travelling?',
      'Everyone gets 25 days of vacation. The kitchen closes at 6. Travel days do not count as vacation.',
    );
    expect(pieces.filter((p) => p.matched).map((p) => p.text)).toEqual([
      'Everyone gets 25 days of vacation.',
      'Travel days do not count as vacation.',
    ]);
  });

  it('marks nothing when the passage shares no topic word with the question', () => {
    const pieces = matchedSentences('Where is the parking garage?', 'Flights are booked 14 days ahead.');
    expect(pieces).toEqual([{ text: 'Flights are booked 14 days ahead.', matched: false }]);
  });
});
