import { describe, expect, it } from 'vitest';
import { passagesForPrompt } from '../../../src/ai/prompt-passages.js';
import { countTokens } from '../../../src/knowledge/ingestion/tokens.js';
import { retrievedPassage as passage } from '../../support/search-hits.js';

const sentence = (n: number) => `Policy ${n} says the allowance is ${n} days a year.`;
const longText = (n: number, sentences: number) =>
  Array.from({ length: sentences }, () => sentence(n)).join(' ');

describe('passagesForPrompt', () => {
  it('keeps the best passages first, at most the count asked for', () => {
    const passages = Array.from({ length: 12 }, (_, i) => passage(i + 1, sentence(i + 1)));
    const kept = passagesForPrompt(passages, 8, 3_000);
    expect(kept.map((p) => p.chunkId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('stops adding text at the token budget, skipping a long passage for a shorter one after it', () => {
    const passages = [passage(1, longText(1, 10)), passage(2, longText(2, 40)), passage(3, sentence(3))];
    const budget = countTokens(passages[0]?.content ?? '') + 50;
    const kept = passagesForPrompt(passages, 8, budget);
    expect(kept.map((p) => p.chunkId)).toEqual(['1', '3']);
    expect(kept.reduce((n, p) => n + countTokens(p.content), 0)).toBeLessThanOrEqual(budget);
  });

  it('always gives the model the best passage, even one longer than the budget', () => {
    const kept = passagesForPrompt([passage(1, longText(1, 40)), passage(2, sentence(2))], 8, 20);
    expect(kept.map((p) => p.chunkId)).toEqual(['1']);
  });
});
