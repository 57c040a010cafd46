import { type ContentWords, namesNoTopic, topicWords } from './question-terms.js';
import { type CosineCache, nearestWordCosine } from './soft-coverage.js';
import type { TermWeights } from './term-weights.js';
import { vectorRow } from './word-vectors.js';
import { words } from './words.js';

/**
 * The thing a question asks whether there is, or whether the company pays for, covers or lets one have: "is there
 * a **bonus** at the end of the year?", "does health insurance cover **IVF**?", "can I get a company **car**?". A
 * passage that answers such a question names that thing (or a near word for it); one that holds the rest of the
 * question's words without it ("health insurance covers…", "end of the year") is about something else the
 * documents do say, and quoting it as the answer misleads. Measured in BENCHMARKS.md ("Answer quality",
 * seventeenth session): abstention rose on six sets of eight, and every answer it cost was still shown among the
 * closest passages.
 */

// Where the asked thing follows: "is there", "does (will, can…) the company pay for / cover / offer…", "can I get /
// bring…"; and, taking the thing to exist, "what is the…", "how much is the…" (`presupposes`).
const OPENERS: ReadonlyArray<{ pattern: RegExp; presupposes?: true }> = [
  { pattern: /\b(?:is|are) there (.+)/ },
  {
    pattern:
      /\b(?:do|does|did|will|would|can|could) (?:[\w']+ ){1,3}?(?:pay for|pay|cover|offer|provide|reimburse|allow|give|have|get) (.+)/,
  },
  { pattern: /\bcan i (?:get|have|claim|expense|bring|keep) (.+)/ },
  { pattern: /\bwhat(?: is| are|'s|’s|s) (.+)/, presupposes: true },
  { pattern: /\bhow much (?:is|are) (.+)/, presupposes: true },
];
const DETERMINERS = new Set('a an any some my our the your his her their'.split(' '));
// Words that end the noun phrase besides stop words and framing words (`namesNoTopic`: "at", "or", "off", "also"
// already do): prepositions, conjunctions and particles those lists lack ("the day | back", "a bike | via …").
const PHRASE_ENDS = new Set(
  `towards toward onto per via without within across around near instead because back anymore now
  worth`.split(/\s+/),
);

export interface AskedObject {
  /** Its term (stem, or synonym group), as coverage reads it. */
  term: string;
  /** The word the question typed, lowercase (as the word vectors hold it). */
  word: string;
  /** The word as the question typed it, its case kept ("IVF"), to show. */
  typed: string;
}

/** The thing a question asks about: the words a passage must hold, and the whole phrase as the question typed it. */
export interface AskedThing {
  words: AskedObject[];
  /** "free breakfast", "company car" ('' when the question names nothing). */
  typed: string;
  /**
   * Asked what it is rather than whether there is one ("what is the hotel limit…"): `words` leave the phrase's head
   * out, and a reply saying the thing was not found names the whole phrase.
   */
  presupposed: boolean;
}

/**
 * The words of the thing asked about that a passage quoted as the answer must hold (or a near word): the phrase's
 * head, and each other word of it the word vectors know ("Roth" in "does the 401k allow Roth contributions?": a
 * passage on pension contributions does not answer it). A word they do not know ("a new SaaS tool") is left to the
 * head: no near word of it can be found, and the passage may name it otherwise ("software and services").
 */
export function askedThing(question: string): AskedThing {
  const { objects, typed, presupposed } = askedPhrase(question);
  const required = objects.filter((o, k) => k === objects.length - 1 || vectorRow(o.word) >= 0);
  // "What is the hotel limit…", "what are the severity levels…": the head is the asker's word for the kind of answer,
  // which the documents put otherwise ("capped at €180", "SEV1"); the words before it say what it is of, and a
  // passage must hold those ("how much is the gym stipend?" is not answered by the coworking stipend).
  return { words: presupposed ? required.slice(0, -1) : required, typed, presupposed };
}

/**
 * Each topic word of the noun phrase after the earliest opener, in order, its head last ("company car": company, car;
 * "gym membership": gym, membership), and the phrase as typed where the opener names it; none when there is no
 * opener, or no topic word before the phrase ends ("is there anything I should know", "do I have to…", "is there a
 * way to…").
 */
function askedPhrase(question: string): { objects: AskedObject[]; typed: string; presupposed: boolean } {
  const q = question.toLowerCase();
  const opened = OPENERS.flatMap(({ pattern, presupposes }) => {
    const m = q.match(pattern);
    return m?.index === undefined ? [] : [{ m, presupposes: presupposes === true }];
  });
  const earliest = opened.sort((a, b) => (a.m.index ?? 0) - (b.m.index ?? 0))[0];
  const match = earliest?.m;
  const first = match?.[1];
  const presupposed = earliest?.presupposes ?? false;
  if (match === undefined || first === undefined) return { objects: [], typed: '', presupposed };
  const ws = words(first.split(/[?,.!;:]/)[0] ?? '');
  let i = 0;
  while (i < ws.length && DETERMINERS.has(ws[i] as string)) i++;
  const phrase: string[] = [];
  for (; i < ws.length; i++) {
    const w = ws[i] as string;
    // A verb form or an adverb after the noun ends it too ("my unused days | carried over").
    if (PHRASE_ENDS.has(w) || namesNoTopic(w) || (phrase.length > 0 && /(?:ed|ing|ly)$/.test(w))) break;
    phrase.push(w);
  }
  const objects = [...topicWords(phrase.join(' '))].map(([term, word]) => ({
    term,
    word,
    typed: asTyped(question, word),
  }));
  // Each opener ends with the phrase it captures: the phrase's words are found from there, in order.
  const at = (match.index ?? 0) + match[0].length - first.length;
  return { objects, typed: objects.length ? spanTyped(question, at, phrase) : '', presupposed };
}

/** The words, in order from `from`, as the question typed them, and what lies between ("company car"). */
function spanTyped(question: string, from: number, ws: string[]): string {
  let begin = -1;
  let end = from;
  for (const w of ws) {
    const found = typedAt(question, w, end);
    // A word the question typed otherwise ("401(k)" read as "401k"): the words as read.
    if (!found) return ws.join(' ');
    if (begin < 0) begin = found.index;
    end = found.index + found[0].length;
  }
  return question.slice(begin, end);
}

/**
 * In a message that tells a situation, what is asked about when no opener names it: the weightiest topic word
 * of what is asked, the situation's words left out ("roaming" in "i'll be on holiday in spain. will the roaming
 * charges be paid back?"). `typed`: the question's topic words by term (`topicWords`, as search read them);
 * `askedWeights`: its term weights with the situation's at zero.
 */
export function weightiestAsked(
  question: string,
  typed: ReadonlyMap<string, string>,
  askedWeights: TermWeights,
): AskedObject | null {
  let best: [string, number] | null = null;
  for (const [term, weight] of askedWeights)
    if (weight > 0 && (!best || weight > best[1])) best = [term, weight];
  const word = best ? typed.get(best[0]) : undefined;
  return best && word ? { term: best[0], word, typed: asTyped(question, word) } : null;
}

/** The word as the question typed it, its case kept ("IVF"). */
const asTyped = (question: string, word: string): string => typedAt(question, word, 0)?.[0] ?? word;

/** Where the question types the word first, from `from` on (any case, a whole word). */
function typedAt(question: string, word: string, from: number): RegExpExecArray | null {
  // Words hold letters, digits, spaces (a synonym phrase) and apostrophes only: nothing to escape.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'giu');
  pattern.lastIndex = from;
  return pattern.exec(question);
}

/**
 * Least cosine (word-vectors.ts) of a passage word for it to stand for the thing asked about: "drinks" for "beer"
 * (0.80), "weekend" for "monday" (0.78). Lower than coverage's near words (soft-coverage.ts, 0.85): the
 * passage need only be about that kind of thing. 0.7: below it, unanswerable questions were quoted again
 * ("bonus" and "salary" are 0.59); BENCHMARKS.md, seventeenth session.
 */
export const MIN_OBJECT_COSINE = 0.7;

/** Whether a passage (its terms and content words) holds the thing asked about, or a word related to it. */
export function holdsObject(
  object: AskedObject,
  terms: ReadonlySet<string>,
  passageWords: ContentWords,
  cache: CosineCache,
  minCosine = MIN_OBJECT_COSINE,
): boolean {
  return terms.has(object.term) || nearestWordCosine(object.word, passageWords, cache) >= minCosine;
}
