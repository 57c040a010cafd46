import damerauLevenshtein from 'damerau-levenshtein';
import { englishWordsNear } from './english-words.js';
import { type ContentWords, namesNoTopic } from './question-terms.js';
import { everydayCount } from './word-rarity.js';
import { vectorRow } from './word-vectors.js';
import { stem } from './words.js';

/**
 * Typos in a question ("vaccation", "reimbursment", "freind"), read as the documents' own word. A typo matches
 * nothing in full-text search and, being the rarest word of the question, weighs the most against every
 * passage's coverage, so "how many vaccation days do i get" was declined where "vacation" is quoted. Only the
 * tenant's own words are candidates: first the words of the passages the question's other words retrieved, then
 * (when none is near) the words of all its documents (lore.tenant_words), and only when neither has a word near
 * it, English's (english-words.ts: "advnace" in a handbook that never says "advance"). A dictionary first would
 * "correct" the tenant's names and jargon toward words its documents do not use.
 * A typed word is corrected only when all of these hold, so names and real words are left alone:
 * - no retrieved passage holds it, and everyday English does not know it (SUBTLEX-US count at most
 *   `MAX_TYPO_COUNT`: "fired" is never read as "hired");
 * - it has at least `MIN_TYPO_LENGTH` letters ("wifi" is not "wife");
 * - a passage word starting with the same letter ("figma" is not "sigma") is within one edit (a letter added,
 *   dropped, changed, or two swapped), or two for words of `TWO_EDITS_FROM` letters or more; of the tenant's
 *   other words, only one may be that near.
 * Before any of that, a short word with two letters swapped that is a stop word swapped back ("hwo", "teh") is
 * read as that word (`swappedFunctionWord`).
 * The search service searches again with the fixes and keeps a fix from the tenant's words only if a passage
 * then holds the word (a word only another collection holds stays out of the member's question).
 * Measured on typed-with-a-typo copies of the evaluation sets (BENCHMARKS.md, "Answer quality").
 */
export interface SpellingFix {
  typed: string;
  corrected: string;
  /** An English word the documents need not hold (english-words.ts), not one of the tenant's words. */
  english?: true;
}

const MAX_TYPO_COUNT = 2;
const MAX_SWAPPED_COUNT = 100;
const MIN_TYPO_LENGTH = 5;
const TWO_EDITS_FROM = 9;
// No English word is longer; a longer "word" (pasted, or a hostile question) is not compared at all.
const MAX_WORD_LENGTH = 30;

const isPlainWord = (w: string) => w.length <= MAX_WORD_LENGTH && /^[a-z]+$/.test(w);

/** A typed word to look up, and how many edits away its candidates may be. */
export interface TypedWord {
  word: string;
  maxEdits: number;
}

/**
 * The tenant's words near each typed word (tenant-words.repo.ts, through the retriever), in one query: typed
 * word → (word → chunks holding it).
 */
export type TenantWordsLookup = (
  typed: ReadonlyArray<TypedWord>,
) => Promise<ReadonlyMap<string, ReadonlyMap<string, number>>>;

// Most typed words looked up in the tenant's words per question (a question has few topic words; a hostile
// one of many rare words costs no more than this).
const MAX_LOOKUPS = 3;

/**
 * The corrections for a question's topic words (`typed`: term → word as typed) whose term no hit holds (not in
 * `found`), from the hits' own words (`hitWords`, one list per hit): fewest edits, then held by the most hits.
 * A typed word no hit word is near (the question's other words found nothing about it: "vaccation?" alone) is
 * looked up in the tenant's words (`tenantWords`), and corrected only when one of them is nearest.
 */
export async function spellingFixes(
  typed: ReadonlyMap<string, string>,
  found: ReadonlySet<string>,
  hitWords: ReadonlyArray<ContentWords>,
  tenantWords?: TenantWordsLookup,
): Promise<SpellingFix[]> {
  const fixes: SpellingFix[] = [];
  const unplaced: TypedWord[] = [];
  let inHits: Map<string, number> | undefined;
  for (const [term, word] of typed) {
    if (found.has(term)) continue;
    const unswapped = swappedFunctionWord(word);
    if (unswapped) {
      fixes.push({ typed: word, corrected: unswapped, english: true });
      continue;
    }
    if (word.length < MIN_TYPO_LENGTH || !isPlainWord(word) || everydayCount(word) > MAX_TYPO_COUNT) continue;
    // Each distinct plain word of the hits, with how many hits hold it: read once, on the first typo.
    inHits ??= countHitWords(hitWords);
    const maxEdits = word.length >= TWO_EDITS_FROM ? 2 : 1;
    const corrected = nearest(word, inHits, maxEdits)?.word;
    if (corrected) fixes.push({ typed: word, corrected });
    else if (unplaced.length < MAX_LOOKUPS) unplaced.push({ word, maxEdits });
  }
  if (unplaced.length === 0) return fixes;
  // One query for all of them: on a pooled connection to a remote database, each is a round trip or more.
  const near = tenantWords ? await tenantWords(unplaced) : new Map<string, ReadonlyMap<string, number>>();
  for (const { word, maxEdits } of unplaced) {
    const tenant = near.get(word) ?? new Map<string, number>();
    // A word the tenant's documents use is no typo, though no passage the question found holds it.
    if (tenant.has(word)) continue;
    const inDocuments = nearest(word, tenant, maxEdits);
    // Two of the tenant's words equally near: which one was meant is a guess, so neither (nor English's).
    if (inDocuments) {
      if (!inDocuments.tied) fixes.push({ typed: word, corrected: inDocuments.word });
      continue;
    }
    const english = nearestEnglish(word, maxEdits, [...(inHits?.keys() ?? []), ...tenant.keys()]);
    if (english) fixes.push({ typed: word, corrected: english, english: true });
  }
  return fixes;
}

/**
 * The word naming no topic that a typed word is with two neighbouring letters swapped back: "hwo" (how), "waht's"
 * (what's), "teh" (the), "cna" (can), "fro" (for). Fast typists swap letters of short words most, and left as
 * typed such a word is a topic word nobody uses, which weighs the most against every passage: on the Slack-like
 * set, 54 of 102 questions quoted as typed were declined with one such word mistyped. A swap back to a word that
 * names no topic is near certain, and a wrong one removes no word a passage holds (the caller only asks for words
 * no hit holds: "aws" in a handbook about AWS is never looked at). Only words everyday English barely uses:
 * `MAX_TYPO_COUNT` times, or `MAX_SWAPPED_COUNT` for a word the word vectors do not know either ("fro", "od"; not
 * "os", "fi").
 */
function swappedFunctionWord(typed: string): string | undefined {
  const [, word, clitic = ''] = /^([a-z]+)(['’][a-z]+)?$/.exec(typed) ?? [];
  if (!word) return undefined;
  const count = everydayCount(word);
  if (count > MAX_SWAPPED_COUNT || (count > MAX_TYPO_COUNT && vectorRow(word) >= 0)) return undefined;
  // Of two swaps that both name no topic ("hwo": "how", "who"), the word English uses more.
  let best: string | undefined;
  for (let i = 0; i + 1 < word.length; i++) {
    const swapped: string = `${word.slice(0, i)}${word[i + 1]}${word[i]}${word.slice(i + 2)}`;
    if (swapped === word || !namesNoTopic(swapped)) continue;
    if (best === undefined || everydayCount(swapped) > everydayCount(best)) best = swapped;
  }
  return best === undefined ? undefined : `${best}${clitic}`;
}

/**
 * The English word nearest a typo, of those equally near: first one whose stem the documents' words near it
 * hold, then the one everyday English uses most. "strated" is "started" rather than "stated", but "stated" in a
 * handbook that says "states".
 */
function nearestEnglish(word: string, maxEdits: number, documentWords: string[]): string | undefined {
  const held = new Set(documentWords.map(stem));
  // Stems only for the candidates that come to a tie, not for each of the thousand or so compared.
  return nearest(word, englishWordsNear(word, maxEdits), maxEdits, (candidate, count) =>
    held.has(stem(candidate)) ? Number.POSITIVE_INFINITY : count,
  )?.word;
}

/**
 * The candidate with the same first letter fewest edits away (at most `limit`), ties to the one `preferred`
 * most (by default the one held most: the number each candidate comes with), and whether another was as near.
 */
function nearest(
  word: string,
  candidates: ReadonlyMap<string, number>,
  limit: number,
  preferred: (candidate: string, held: number) => number = (_, held) => held,
): { word: string; tied: boolean } | undefined {
  let best: { word: string; edits: number; rank: number } | null = null;
  let tied = false;
  for (const [candidate, held] of candidates) {
    if (candidate[0] !== word[0] || Math.abs(candidate.length - word.length) > limit) continue;
    const edits = damerauLevenshtein(word, candidate).steps;
    if (edits === 0 || edits > limit) continue;
    if (!best || edits < best.edits) {
      best = { word: candidate, edits, rank: preferred(candidate, held) };
      tied = false;
    } else if (edits === best.edits) {
      tied = true;
      const rank = preferred(candidate, held);
      if (rank > best.rank) best = { word: candidate, edits, rank };
    }
  }
  return best ? { word: best.word, tied } : undefined;
}

function countHitWords(hitWords: ReadonlyArray<ContentWords>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const words of hitWords) {
    // A synonym phrase ("parental leave") is one read word: its words are candidates each.
    for (const w of new Set(words.flatMap((x) => x.word.split(' ')))) {
      if (w.length >= MIN_TYPO_LENGTH - 1 && isPlainWord(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

/** The text with each fixed word replaced, whole words only, whatever their case. */
export function applySpellingFixes(text: string, fixes: ReadonlyArray<SpellingFix>): string {
  return fixes.reduce(
    (out, f) =>
      out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${f.typed}(?![\\p{L}\\p{N}])`, 'giu'), f.corrected),
    text,
  );
}
