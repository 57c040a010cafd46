import type { SearchHit } from './hybrid-search.repo.js';
import { type ContentWords, contentWords } from './question-terms.js';
import { readWords } from './synonyms.js';
import { phraseRarity } from './word-rarity.js';

/**
 * Two topic words the question types side by side, no word between ("credit hours", "rental car"): a text
 * holding them side by side speaks of the same thing, one holding them apart may not ("credited to your bank
 * account" holds "credit" and "hours" elsewhere). The proximity feature of the sequential dependence model that
 * BM25, which scores words one by one, lacks. Pairs are keyed "a b" by their terms (stems, synonym groups).
 */
export function questionPairs(question: string, topic: ReadonlySet<string>): Set<string> {
  const read = readWords(question);
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < read.length; i++) {
    const a = read[i]?.term as string;
    const b = read[i + 1]?.term as string;
    if (a !== b && topic.has(a) && topic.has(b)) pairs.add(pairKey(a, b));
  }
  return pairs;
}

/**
 * The question's pairs a text holds: the two terms next to each other among its content words (stop words
 * between them do not part them: "request for leave" holds "leave request"), in either order.
 */
export function pairsHeld(pairs: ReadonlySet<string>, contentTerms: ReadonlyArray<string>): Set<string> {
  const held = new Set<string>();
  if (pairs.size === 0) return held;
  for (let i = 0; i + 1 < contentTerms.length; i++) {
    const key = pairKey(contentTerms[i] as string, contentTerms[i + 1] as string);
    if (pairs.has(key)) held.add(key);
  }
  return held;
}

/** One key for a pair in either order. */
const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/**
 * Each hit's score for the question's pairs it holds (its content words as `contentWords` reads them): the summed
 * weight of each pair held, a pair weighing as its lighter word (`weightOf`: "annual leave" is no more specific than
 * "annual"). 0 for a hit holding none, and for every hit of a question without pairs.
 */
function pairScores(
  question: string,
  typed: ReadonlyMap<string, string>,
  hitWords: ReadonlyArray<ReadonlyArray<{ term: string }>>,
  weightOf: (word: string) => number,
): number[] {
  const pairs = questionPairs(question, new Set(typed.keys()));
  if (pairs.size === 0) return hitWords.map(() => 0);
  const weight = (key: string) => Math.min(...key.split(' ').map((t) => weightOf(typed.get(t) ?? t)));
  return hitWords.map((words) => {
    const terms = words.map((x) => x.term);
    return [...pairsHeld(pairs, terms)].reduce((sum, key) => sum + weight(key), 0);
  });
}

// How much the question's pairs can raise a hit's BM25 score: by this share of it were its pairs to weigh as much as
// all the question's topic words; the one pair of a three-word question raises it by about a sixth.
export const PAIR_SHARE = 0.5;

/**
 * The hits reordered with their pairs read into the full-text score, as the sequential dependence model adds a
 * proximity score to the word-by-word one: each hit's BM25 score grows by `share` × the weight of the pairs it holds
 * over the weight of all the question's topic words, the full-text ranks are dealt again by that score, and the
 * fused score is recomputed from them (the vector rank, if any, unchanged). Each hit comes with its content words
 * (title, section and text, read once here for the caller's coverage too). A question without pairs keeps the order.
 */
export function rankedByPairs(
  hits: ReadonlyArray<SearchHit>,
  question: string,
  typed: ReadonlyMap<string, string>,
  fusion: { share: number; fullText: number; semantic: number; rrfK: number },
): { hits: SearchHit[]; words: ContentWords[] } {
  const words = hits.map((h) => contentWords(`${h.title}\n${h.section}\n${h.content}`));
  const pairs = fusion.share > 0 ? pairScores(question, typed, words, phraseRarity) : [];
  const total = [...typed.values()].reduce((sum, w) => sum + phraseRarity(w), 0);
  if (total <= 0 || !pairs.some((p) => p > 0)) return { hits: [...hits], words };
  const boosted = hits.map((h, i) =>
    h.fullTextScore === null ? null : h.fullTextScore * (1 + (fusion.share * (pairs[i] as number)) / total),
  );
  // The full-text ranks the hits had, dealt again in the order of the boosted scores.
  const textual = hits.map((_, i) => i).filter((i) => boosted[i] !== null);
  const ranks = textual.map((i) => hits[i]?.fullTextRank ?? 0).sort((a, b) => a - b);
  textual.sort((a, b) => (boosted[b] as number) - (boosted[a] as number) || a - b);
  const rankOf = new Map(textual.map((i, k) => [i, ranks[k] as number]));
  const rescored = hits.map((h, i) => {
    const fullTextRank = rankOf.get(i) ?? null;
    const score =
      (fullTextRank === null ? 0 : fusion.fullText / (fusion.rrfK + fullTextRank)) +
      (h.semanticRank === null ? 0 : fusion.semantic / (fusion.rrfK + h.semanticRank));
    return {
      hit: { ...h, fullTextRank, fullTextScore: boosted[i] ?? null, score },
      words: words[i] as ContentWords,
    };
  });
  rescored.sort((a, b) => b.hit.score - a.hit.score);
  return { hits: rescored.map((x) => x.hit), words: rescored.map((x) => x.words) };
}
