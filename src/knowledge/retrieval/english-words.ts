import { synonymWords } from './synonyms.js';
import { everydayWords } from './word-rarity.js';
import { vectorRow } from './word-vectors.js';

/**
 * English words a typo may have meant when the tenant's documents hold nothing near it: "advnace", "leftver" or
 * "mnadatory" in a handbook that never says "advance", "leftover" or "mandatory", and "matternity" in one that
 * says "parental leave" (which the synonym map joins to "maternity"). Left as typed, such a typo is a word
 * everyday English does not know, so it weighs the most against every passage (term-weights.ts) and the
 * question is declined where the same question typed clean is answered.
 * Candidates: the words of SUBTLEX-US seen at least `MIN_ENGLISH_COUNT` times and the words of the synonym map,
 * of `MIN_ENGLISH_LENGTH` letters or more. Short words and rare ones are more often a name's neighbour than what
 * a typo meant ("reds" for "redis", "firma" for "figma", "mango" for "mongo").
 */
const MIN_ENGLISH_COUNT = 20;
const MIN_ENGLISH_LENGTH = 6;

let byStart: Map<string, Map<string, number>> | null = null;

/** The candidates by first letter and length ("m9"), built once on first use (about 28,000 words). */
function index(): Map<string, Map<string, number>> {
  if (byStart) return byStart;
  const built = new Map<string, Map<string, number>>();
  const add = (word: string, count: number) => {
    if (word.length < MIN_ENGLISH_LENGTH || !/^[a-z]+$/.test(word)) return;
    const key = `${word[0]}${word.length}`;
    const words = built.get(key) ?? new Map<string, number>();
    words.set(word, Math.max(count, words.get(word) ?? 0));
    built.set(key, words);
  };
  const counts = everydayWords();
  for (const [word, count] of counts) if (count >= MIN_ENGLISH_COUNT) add(word, count);
  for (const word of synonymWords()) add(word, Math.max(counts.get(word) ?? 0, MIN_ENGLISH_COUNT));
  byStart = built;
  return built;
}

/**
 * The English words with the typed word's first letter and a length within `maxEdits` of its own, each with
 * how often everyday English uses it: the candidates spelling.ts measures the edits to. None when the typed
 * word is one of the 20,000 words of the word vectors: then it is a word or a name ("claude", not "clause").
 */
export function englishWordsNear(word: string, maxEdits: number): Map<string, number> {
  const out = new Map<string, number>();
  if (vectorRow(word) >= 0) return out;
  const words = index();
  for (let length = word.length - maxEdits; length <= word.length + maxEdits; length++) {
    for (const [w, count] of words.get(`${word[0]}${length}`) ?? []) out.set(w, count);
  }
  return out;
}
