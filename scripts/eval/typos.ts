import { createHash } from 'node:crypto';
import { namesNoTopic, topicWords } from '../../src/knowledge/retrieval/question-terms.js';
import { wordRarity } from '../../src/knowledge/retrieval/word-rarity.js';
import { words } from '../../src/knowledge/retrieval/words.js';
import type { BeirDataset, BeirQuery } from './beir.js';

/**
 * `npm run eval -- --typos`: every question as if typed in a hurry, with one typo in its rarest topic word of
 * six letters or more (the word that carries the question, and the one a typo costs most): two neighbouring
 * letters swapped, one dropped, one doubled, or one replaced by its neighbour on a QWERTY keyboard, chosen from
 * a hash of the question's id (the same typos every run). The first letter is kept, as in most real typos.
 * Questions without such a word are left as typed.
 */
const NEIGHBOURS: Record<string, string> = {
  a: 's',
  b: 'v',
  c: 'x',
  d: 's',
  e: 'r',
  f: 'g',
  g: 'h',
  h: 'j',
  i: 'o',
  j: 'k',
  k: 'l',
  l: 'k',
  m: 'n',
  n: 'm',
  o: 'i',
  p: 'o',
  q: 'w',
  r: 't',
  s: 'a',
  t: 'r',
  u: 'y',
  v: 'c',
  w: 'e',
  x: 'z',
  y: 't',
  z: 'x',
};

export function withTypo(q: BeirQuery): BeirQuery {
  const candidates = [...topicWords(q.text).values()].filter((w) => /^[a-z]{6,}$/.test(w));
  const word = candidates.sort((a, b) => wordRarity(b) - wordRarity(a))[0];
  if (!word) return q;
  const h = createHash('sha256').update(q.id).digest();
  // An interior position: never the first letter, never the last (swaps need a letter after it).
  const at = 1 + ((h[1] as number) % (word.length - 2));
  const c = word[at] as string;
  const typo = [
    word.slice(0, at) + word[at + 1] + c + word.slice(at + 2),
    word.slice(0, at) + word.slice(at + 1),
    word.slice(0, at) + c + word.slice(at),
    word.slice(0, at) + (NEIGHBOURS[c] ?? c) + word.slice(at + 1),
  ][(h[0] as number) % 4] as string;
  const text = q.text.replace(new RegExp(`(?<![\\p{L}])${word}(?![\\p{L}])`, 'iu'), typo);
  return { ...q, text };
}

export function datasetWithTypos(d: BeirDataset): BeirDataset {
  return { ...d, queries: d.queries.map(withTypo), unanswerable: d.unanswerable.map(withTypo) };
}

/**
 * `npm run eval -- --swaps`: every question with two neighbouring letters swapped in one of its words of three
 * letters or more that name no topic ("how" → "hwo", "the" → "teh", "what" → "waht"), the commonest typo of fast
 * typing, where `--typos` puts one in the topic. The word and the letters are chosen from a hash of the
 * question's id; a swap that changes nothing ("too") leaves the question as typed.
 */
export function withSwappedLetters(q: BeirQuery): BeirQuery {
  const candidates = [...new Set(words(q.text))].filter((w) => /^[a-z]{3,}$/.test(w) && namesNoTopic(w));
  const h = createHash('sha256').update(`swap:${q.id}`).digest();
  const word = candidates[(h[0] as number) % Math.max(1, candidates.length)];
  if (!word) return q;
  const at = (h[1] as number) % (word.length - 1);
  const swapped = `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
  const text = q.text.replace(new RegExp(`(?<![\\p{L}])${word}(?![\\p{L}])`, 'iu'), swapped);
  return { ...q, text };
}

export function datasetWithSwappedLetters(d: BeirDataset): BeirDataset {
  return {
    ...d,
    queries: d.queries.map(withSwappedLetters),
    unanswerable: d.unanswerable.map(withSwappedLetters),
  };
}
