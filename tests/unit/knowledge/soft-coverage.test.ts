import { describe, expect, it } from 'vitest';
import { contentWords, topicWords } from '../../../src/knowledge/retrieval/question-terms.js';
import { type CosineCache, nearWordCredit } from '../../../src/knowledge/retrieval/soft-coverage.js';
import { termsOf, termWeights, weightedCoverage } from '../../../src/knowledge/retrieval/term-weights.js';

describe('coverage with near words', () => {
  const holidays = 'Public holidays: when one falls on a weekend, there is no extra day off.';
  const gym = 'Fitness: we pay up to 40 euros a month towards a gym membership.';
  const coverage = (question: string, text: string, soft: boolean) => {
    const weights = termWeights(question, [termsOf(holidays), termsOf(gym)]);
    const cache: CosineCache = new Map();
    const partial = soft ? nearWordCredit(topicWords(question), contentWords(text), cache) : undefined;
    return weightedCoverage(weights, termsOf(text), partial);
  };

  it('counts a missing word in part when the passage holds a near one', () => {
    // "sunday" is not in the passage, "weekend" is.
    const hard = coverage('a holiday falls on a sunday, do we get the monday off?', holidays, false);
    const soft = coverage('a holiday falls on a sunday, do we get the monday off?', holidays, true);
    expect(soft).toBeGreaterThan(hard);
    expect(soft).toBeLessThan(1);
  });

  it('gives nothing for words that are only related, nor for stop words in the passage', () => {
    // "dog" and "gym" share nothing close; "the", "on", "a" never stand for a topic word.
    expect(coverage('can I bring my dog to the gym', gym, true)).toBe(
      coverage('can I bring my dog to the gym', gym, false),
    );
    const credit = nearWordCredit(topicWords('dog'), contentWords('the dog is on a mat'), new Map());
    expect(credit('dog')).toBe(1);
    expect(nearWordCredit(topicWords('dog'), contentWords('the on a'), new Map())('dog')).toBe(0);
  });

  it('covers a country the member names with a passage on working from "another country" or "abroad"', () => {
    const abroad = 'Working from abroad: you may work from another country for up to four weeks a year.';
    // The credit a passage gives the question's word `word` (found by the word typed: its term is a stem).
    const credit = (question: string, word: string, text: string) => {
      const typed = topicWords(question);
      const term = [...typed].find(([, w]) => w === word)?.[0] ?? '';
      return nearWordCredit(typed, contentWords(text), new Map())(term);
    };
    expect(credit('can I work from Brazil for a month?', 'brazil', abroad)).toBe(1);
    expect(credit('can I work from Portugal?', 'portugal', 'We work overseas twice a year.')).toBe(1);
    // Not the other way round, nor from a passage that is not about being abroad, nor for a word that only looks
    // like a country ("jersey").
    expect(credit('can I work abroad?', 'abroad', 'Our office in Brazil is open daily.')).toBe(0);
    expect(credit('can I work from Brazil?', 'brazil', 'Remote work: two days a week from home.')).toBe(0);
    expect(credit('can I wear a jersey?', 'jersey', abroad)).toBe(0);
  });
});
