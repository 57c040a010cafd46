import { type ContentWords, contentWords, topicWords } from './question-terms.js';
import { type CosineCache, nearWordCredit } from './soft-coverage.js';
import { phraseRarity } from './word-rarity.js';

/**
 * How much each topic word of a question says about what it asks, for the no-model gate and the quoted
 * snippets: a word's rarity in everyday English (word-rarity.ts: "bereavement" and "payslip" name a topic,
 * "find" and "free" frame it) times how few of the retrieved passages hold it (2 when none does, 1 when all
 * do: a word every candidate holds does not tell them apart, one that none holds is what the documents do not
 * cover). Measured against the plain share of words on both shipped sets and the held-out questions
 * (BENCHMARKS.md, "Answer quality").
 */
export type TermWeights = Map<string, number>;

/** Candidates the "how many hold it" share is counted over: the first hits, whatever k the caller asked for. */
export const WEIGHT_HITS = 10;

/** The content terms of words already read (question-terms.ts `contentWords`), once per hit. */
export const termsOfWords = (words: ReadonlyArray<{ term: string }>): Set<string> =>
  new Set(words.map((w) => w.term));

/** The content terms a text holds, shared by the weights and the coverage. */
export const termsOf = (text: string): Set<string> => termsOfWords(contentWords(text));

export function termWeights(question: string, hitTerms: ReadonlyArray<Set<string>>): TermWeights {
  const typed = topicWords(question);
  const candidates = hitTerms.slice(0, WEIGHT_HITS);
  const weights: TermWeights = new Map();
  for (const [term, word] of typed) {
    // A synonym phrase weighs as its rarest word ("paid time off" as "paid"); a bare number weighs nothing.
    const rarity = phraseRarity(word);
    const held = candidates.length ? candidates.filter((c) => c.has(term)).length / candidates.length : 0;
    weights.set(term, rarity * (2 - held));
  }
  return weights;
}

/** The weights with the given terms weighing nothing (they count neither for nor against a passage). */
export const withoutTerms = (weights: TermWeights, terms: ReadonlySet<string>): TermWeights =>
  new Map([...weights].map(([t, w]) => [t, terms.has(t) ? 0 : w]));

/**
 * The weighted share (0..1) of the question's topic words a text holds; a word it lacks counts the share
 * `partial` gives it (soft-coverage.ts: a near word the text holds), none by default. Questions whose words
 * all weigh nothing (only numbers) fall back to the plain share.
 */
export function weightedCoverage(
  weights: TermWeights,
  have: Set<string>,
  partial: (term: string) => number = () => 0,
): number {
  if (weights.size === 0) return 0;
  let total = 0;
  let held = 0;
  for (const [t, w] of weights) {
    total += w;
    held += have.has(t) ? w : w * partial(t);
  }
  if (total > 0) return held / total;
  return [...weights.keys()].filter((t) => have.has(t)).length / weights.size;
}

/**
 * Each hit's weighted coverage (the gate's signal), read with the hits of its group (merge-adjacent.ts
 * `neighbourIndexes`: itself and the retrieved chunks right next to it): the terms and the near words of the
 * group's text count, as in the passage the answer step would quote. `typed`: the question's topic terms with
 * the words it typed (question-terms.ts `topicWords`); `hitWords`: each hit's content words, read once.
 */
export function hitCoverages(
  weights: TermWeights,
  typed: ReadonlyMap<string, string>,
  hitWords: ReadonlyArray<ContentWords>,
  hitTerms: ReadonlyArray<Set<string>>,
  groups: ReadonlyArray<ReadonlyArray<number>>,
  cache: CosineCache = new Map(),
): number[] {
  return groups.map((group, i) => {
    if (group.length === 1) {
      const have = hitTerms[i] ?? new Set<string>();
      return weightedCoverage(weights, have, nearWordCredit(typed, hitWords[i] ?? [], cache));
    }
    const have = new Set(group.flatMap((j) => [...(hitTerms[j] ?? [])]));
    return weightedCoverage(
      weights,
      have,
      nearWordCredit(
        typed,
        group.flatMap((j) => hitWords[j] ?? []),
        cache,
      ),
    );
  });
}
