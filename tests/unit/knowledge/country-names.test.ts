import { describe, expect, it } from 'vitest';
import { isCountryName } from '../../../src/knowledge/retrieval/country-names.js';

describe('country names as members type them', () => {
  it('knows one-word country names, lowercase, accents kept', () => {
    for (const name of ['brazil', 'spain', 'portugal', 'netherlands', 'türkiye', 'curaçao']) {
      expect(isCountryName(name), name).toBe(true);
    }
  });

  it('is no country for a region code ICU does not know, a word that is mostly something else, or an empty word', () => {
    // "AA" names no region: ICU gives the code back, which is never read as a name.
    for (const word of [
      'aa',
      'zz',
      'jersey',
      'chad',
      'jordan',
      'georgia',
      'eurozone',
      'antarctica',
      '',
      'laptop',
    ]) {
      expect(isCountryName(word), word).toBe(false);
    }
    // Callers pass words lowercase, as question-terms.ts reads them.
    expect(isCountryName('Brazil')).toBe(false);
  });
});
