import { isCountryName } from './country-names.js';
import type { ContentWords } from './question-terms.js';
import { ABROAD_GROUP } from './synonyms.js';
import { rowCosine, vectorRow } from './word-vectors.js';

/**
 * Coverage with near words: a question's topic word that a passage does not hold counts in part when the
 * passage holds a word close to it in pre-trained word vectors (word-vectors.ts: "sunday" and "weekend"), so a
 * question worded differently from its answer is not declined for that alone. Measured on both shipped sets
 * and the held-out questions (BENCHMARKS.md, "Answer quality"): with the gate's 0.5 unchanged, answers rose and
 * abstention held on every set.
 */

/**
 * Least cosine for a passage word to stand for a missing question word, and it counts its cosine times the
 * word's weight. 0.85: the best worse-of-the-two (answer shown, abstention) on both shipped sets. Lower lets
 * unanswerable questions through (Slack-like abstention 82.1% at 0.85, 78.6% at 0.8, 46.4% at 0.6): these
 * vectors put related words close, not only same-meaning ones ("dog" and "pet" 0.74, "sunday" and "monday"
 * 0.92, "early" and "late" 0.91).
 */
export const MIN_NEAR_COSINE = 0.85;

/** Vector rows of a passage's distinct content words (synonym phrases left out). */
function vectorRowsOf(words: ContentWords): Int32Array {
  const rows = new Set<number>();
  for (const { word } of words) {
    const r = word.includes(' ') ? -1 : vectorRow(word);
    if (r >= 0) rows.add(r);
  }
  return Int32Array.from(rows);
}

/** Cosines already computed for one question, by (question row, passage row): its hits share most words. */
export type CosineCache = Map<number, number>;

/** The best cosine of a word (as typed) with any of a passage's rows; 0 when the table does not hold it. */
function nearestCosine(word: string, rows: Int32Array, cache: CosineCache): number {
  const q = word.includes(' ') ? -1 : vectorRow(word);
  if (q < 0) return 0;
  let best = 0;
  for (const r of rows) {
    const key = q * 1_000_003 + r;
    let c = cache.get(key);
    if (c === undefined) {
      c = r === q ? 1 : rowCosine(q, r);
      cache.set(key, c);
    }
    if (c > best) best = c;
  }
  return best;
}

/**
 * How much each missing topic term of a question counts for one hit (its content words, already read for its
 * terms): the cosine of the hit's nearest word to the word the question typed (`typed`: term → word) when it
 * is at least MIN_NEAR_COSINE, else nothing. For term-weights.ts `weightedCoverage`, which asks only for the
 * terms the hit lacks; the rows are looked up on the first such term.
 */
export function nearWordCredit(
  typed: ReadonlyMap<string, string>,
  words: ContentWords,
  cache: CosineCache,
): (term: string) => number {
  let rows: Int32Array | undefined;
  return (term) => {
    const word = typed.get(term) ?? '';
    // "work from Brazil": a passage on working "from another country" covers the country named.
    if (isCountryName(word) && words.some((w) => w.group === ABROAD_GROUP)) return 1;
    rows ??= vectorRowsOf(words);
    const near = nearestCosine(word, rows, cache);
    return near >= MIN_NEAR_COSINE ? near : 0;
  };
}

/** The best cosine of a word (as typed) with any word of a passage; 0 when the table does not hold it. */
export const nearestWordCosine = (word: string, words: ContentWords, cache: CosineCache): number =>
  nearestCosine(word, vectorRowsOf(words), cache);
