import { describe, expect, it } from 'vitest';
import { americanSpelling } from '../../../src/knowledge/retrieval/spelling-variants.js';
import { everydayCount } from '../../../src/knowledge/retrieval/word-rarity.js';
import { stem } from '../../../src/knowledge/retrieval/words.js';

describe('British and American spellings read as one word', () => {
  it('stems both spellings alike, so a question and a passage spelled the other way match', () => {
    expect(stem('licences')).toBe(stem('licenses'));
    expect(stem('organisation')).toBe(stem('organization'));
    expect(stem('cancelled')).toBe(stem('canceled'));
    expect(stem('colour')).toBe(stem('color'));
    // Words spelled one way only are stemmed as before.
    expect(stem('vacation')).toBe('vacat');
  });

  it('reads a British spelling as its American form, and leaves every other word as it is', () => {
    expect(americanSpelling('programme')).toBe('program');
    expect(americanSpelling('licences')).toBe('licenses');
    expect(americanSpelling('program')).toBe('program');
    expect(americanSpelling('vacation')).toBe('vacation');
  });

  it('weighs a British spelling as common as its American form (American subtitles rarely spell "colour")', () => {
    expect(everydayCount('colour')).toBe(everydayCount('color'));
    expect(everydayCount('colour')).toBeGreaterThan(100);
  });
});
