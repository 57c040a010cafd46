import { describe, expect, it } from 'vitest';
import { contentWords, topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { applySpellingFixes, spellingFixes } from '../../../src/knowledge/retrieval/spelling.js';
import { termsOfWords } from '../../../src/knowledge/retrieval/term-weights.js';

/** The fixes for a question against retrieved passages' texts, as the search service reads both. */
function fixesFor(question: string, passages: string[]) {
  const hitWords = passages.map((p) => contentWords(p));
  const held = new Set(hitWords.flatMap((w) => [...termsOfWords(w)]));
  return spellingFixes(topicWords(question), held, hitWords);
}

const LEAVE = [
  'Every employee gets 27 vacation days per year.',
  'Unused vacation days carry over until the end of March.',
  'Parental leave is 20 weeks at full pay.',
];

describe('spellingFixes: a typo read as the word the documents use', () => {
  it('reads a dropped, doubled, swapped or wrong letter as the passages’ word', () => {
    expect(fixesFor('how many vacaton days do I get?', LEAVE)).toEqual([
      { typed: 'vacaton', corrected: 'vacation' },
    ]);
    expect(fixesFor('how many vaccation days?', LEAVE)).toEqual([
      { typed: 'vaccation', corrected: 'vacation' },
    ]);
    expect(fixesFor('how long is parnetal leave', LEAVE)).toEqual([
      { typed: 'parnetal', corrected: 'parental' },
    ]);
    expect(fixesFor('do unused days carry ovet', LEAVE)).toEqual([]); // "ovet": too short to be sure
    // Two edits for a long word.
    expect(fixesFor('does the emplyoeee discount apply to parental laeve', LEAVE)).toEqual([
      { typed: 'emplyoeee', corrected: 'employee' },
      { typed: 'laeve', corrected: 'leave' },
    ]);
  });

  it('leaves alone words everyday English knows, words the passages hold, short words and other first letters', () => {
    // "fired" is a word, not a typo of "hired".
    expect(fixesFor('who gets fired for missing shifts', ['New staff are hired in spring.'])).toEqual([]);
    // The passages hold it: nothing to fix.
    expect(fixesFor('how many vacation days', LEAVE)).toEqual([]);
    // Names the passages never use stay as typed, even one edit from a passage word.
    expect(fixesFor('do we pay for figma', ['Design tools: sigma is our statistics tool.'])).toEqual([]);
    expect(fixesFor('what is the wifi password', ['Tell your wife about the password rules.'])).toEqual([]);
    // A "word" longer than any English one is never compared (a pasted string, or a hostile question).
    expect(fixesFor(`what is ${'b'.repeat(40)}`, [`It is ${'b'.repeat(41)}.`])).toEqual([]);
    // No passage word close enough: left as typed (and searched as typed).
    expect(fixesFor('is there a kubernetes budget', LEAVE)).toEqual([]);
  });

  it('replaces whole words only, whatever their case', () => {
    const fixes = [{ typed: 'vacaton', corrected: 'vacation' }];
    expect(applySpellingFixes('Vacaton days? vacatons are not vacaton', fixes)).toBe(
      'vacation days? vacatons are not vacation',
    );
  });
});
