import { splitSentences } from '../ingestion/sentences.js';
import { topicWords } from './question-terms.js';
import { readWords } from './synonyms.js';
import { words } from './words.js';

/**
 * Answer-type checking (classic question answering) for the no-model gate: what a question asks for sets what
 * its answer must contain. Two checks are enforced, each where the answer names the very thing asked about:
 * - counting: "how many employees does Kestrel have?" is answered by a number counting employees ("120
 *   employees", "a team of 14 people"), so quoted passages that mention employees but count none do not answer it;
 * - identity: "who is the head of the marketing team?" is answered by someone named beside the role, so a
 *   handbook's "ask the marketing team for a review" does not answer it ("who do I call", answered by a role, is
 *   not asked this way).
 * The other types are recognised, but a check on them (a number, a date, a role or a place in a sentence holding
 * the question's topic) cost as many answers as it gained: measured in BENCHMARKS.md, "Answer quality".
 */
export type AnswerType = 'count' | 'amount' | 'duration' | 'frequency' | 'time' | 'person' | 'place';

const list = (s: string) => new Set(s.trim().split(/\s+/));

// Words that begin the verb after a question word ("when *do* I…"), telling a question from a clause of time
// ("when I leave, can I…").
const AUX = list(
  `do does did is are was were am can could should would will shall must may might have has had`,
);
// Words that end the counted noun phrase of "how many…" ("how many days *of* annual leave").
const PHRASE_END = list(`a an the of in at on for to from with by per each every and or than`);
const TIME_NOUNS = list(`time date day days week month year hour`);
// "how long / soon / fast …": a span of time ("within 1 hour", "four weeks ahead").
const DURATION_DEGREES = list(`long far soon early late fast quick quickly`);
// A bound asked for ("what's the max…", "which is the limit…"): the answer is a figure ("up to 24 credit hours").
const BOUND_WORDS = list(`max maximum most min minimum least limit limits cap`);

/**
 * The answer type a question asks for, or null (yes/no questions, "what is…", "how do I…"); a bound asked for
 * ("what's the max…") is an amount.
 */
export function expectedAnswerType(question: string): AnswerType | null {
  // A question word that asks starts a clause ("feeling awful today, who do I tell…").
  for (const clause of question.split(/[,;:?!.()\n]+|\s[-–—]\s/)) {
    const w = words(clause).map((x) => x.replace(/['’]s$/, ''));
    const [a, b] = w;
    if (a === undefined) continue;
    const asks = w.length === 1 || (b !== undefined && AUX.has(b)) || clause.match(/^\s*\w+['’]s\b/) !== null;
    if (a === 'how') {
      if (b === 'many') return 'count';
      if (b === 'much') return 'amount';
      if (DURATION_DEGREES.has(b ?? '')) return 'duration';
      if (b === 'often' || b === 'frequently') return 'frequency';
    } else if (a === 'when' && asks) return 'time';
    else if ((a === 'until' || a === 'by' || a === 'since') && b === 'when') return 'time';
    else if ((a === 'what' || a === 'which') && b !== undefined && TIME_NOUNS.has(b)) return 'time';
    else if ((a === 'what' || a === 'whats' || a === 'which') && w.some((x) => BOUND_WORDS.has(x)))
      return 'amount';
    else if (a === 'who' || a === 'whom') return 'person';
    else if (a === 'where' && asks) return 'place';
  }
  return null;
}

/**
 * What a "how many" question counts: the terms (stems, synonyms as one meaning) of the words after "how many"
 * up to the verb or a preposition ("how many vacation days do we get" → vacation, day). Empty otherwise.
 */
export const countedTerms = (question: string): Set<string> =>
  new Set(countedWords(question).map((x) => x.term));

/** The words after "how many" up to the verb or a preposition, as read (a synonym phrase one word). */
function countedWords(question: string): ReturnType<typeof readWords> {
  const read = readWords(question);
  const at = read.findIndex((x, i) => x.word === 'how' && read[i + 1]?.word === 'many');
  if (at < 0) return [];
  const end = read.findIndex((x, i) => i >= at + 2 && (AUX.has(x.word) || PHRASE_END.has(x.word)));
  return read.slice(at + 2, end < 0 ? undefined : end);
}

const NUMBER_WORDS =
  list(`one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
  sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
  dozen dozens hundreds thousands half once twice single double unlimited`);

const isNumber = (word: string) => /\d/.test(word) || NUMBER_WORDS.has(word);

const DATE_WORDS = list(`january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday`);
const TIME_UNITS = list(`minute minutes hour hours day days week weeks month months year years`);
// Where something is done or found: a preposition of place before a name ("in Tandem", "on the IT portal", "at
// Brackley Road"; not a month or weekday, "in March"), an address, or a place of a kind ("in the portal").
const PLACE =
  /\b(?:in|on|at|via|through|to|from)\s+(?:(?:the|our|your|a)\s+)?(?:(?:\d+\s+)?([A-Z][\w-]*)|\S+@\S+|https?:\/\/\S+|(?:\w+\s+)?(?:portal|intranet|wiki|channel|app|tool|site|page|form|desk|inbox|office|room|floor|system)\b)/g;
const namesAPlace = (sentence: string) =>
  [...sentence.matchAll(PLACE)].some(([, name]) => name === undefined || !DATE_WORDS.has(name.toLowerCase()));

/** How many words after a number its unit may stand ("four weeks", "20 working days"). */
const UNIT_GAP = 3;

/**
 * Whether a sentence holds what an answer of the type looks like: a span of time ("four weeks") for "how long",
 * a date, weekday or figure for "when", a figure for "how many / much / often", a place named after "in", "on" or
 * "at" for "where". Person: never (a name's shape is no word's: "Ask Priya" and "Ask HR" read alike).
 */
export function sentenceFitsType(type: AnswerType | null, sentence: string): boolean {
  if (type === 'place') return namesAPlace(sentence);
  if (type === null || type === 'person') return false;
  const w = words(sentence);
  if (type === 'time') return w.some((x) => DATE_WORDS.has(x) || /\d/.test(x));
  if (type === 'duration') {
    return w.some((x, i) => isNumber(x) && w.slice(i + 1, i + 1 + UNIT_GAP).some((y) => TIME_UNITS.has(y)));
  }
  return w.some(isNumber);
}

/** How many words before a counted word its number may stand ("23 days", "20 weeks of paid leave"). */
const COUNT_GAP = 3;

/** A snippet's sentences: "…" stands for skipped text, so what is on either side is not one sentence. */
const snippetSentences = (text: string) => splitSentences(text.replace(/…/g, '\n'));

/**
 * Whether a sentence of the text counts one of the counted terms: a number at most COUNT_GAP words before it,
 * within the sentence ("holds 14 people", "up to 5 unused vacation days"; not "18 months. Tell people…").
 */
export function countsAny(text: string, counted: Set<string>, timeCounted = false): boolean {
  return snippetSentences(text).some((sentence) => {
    const read = readWords(sentence);
    return read.some((x, i) => {
      if (!counted.has(x.term)) return false;
      const before = read.slice(Math.max(0, i - COUNT_GAP), i);
      const at = before.findLastIndex((y) => isNumber(y.word));
      // Unless time is what is counted ("how many days off": "five days of paid leave"), a unit of time between
      // the number and the word counts the time, not the word ("8 hours of holiday pay" counts no holidays).
      return at >= 0 && (timeCounted || !before.slice(at + 1).some((y) => TIME_UNITS.has(y.word)));
    });
  });
}

/**
 * Whether the quoted snippets can answer the question, as far as its answer type tells: a "how many" question
 * needs one of them to count what it asks about, and a question about who holds a role (`identityAsked`) needs
 * one of them to name someone beside the role; any other question passes.
 */
export function snippetsFitAnswerType(question: string, snippets: string[]): boolean {
  const role = identityAsked(question);
  if (role) return snippets.some((s) => namesSomeoneFor(s, role, question));
  if (expectedAnswerType(question) !== 'count') return true;
  const words = countedWords(question);
  const timeCounted = words.some((x) => x.word.split(' ').some((w) => TIME_UNITS.has(w)));
  const counted = new Set(words.map((x) => x.term));
  return counted.size === 0 || snippets.some((s) => countsAny(s, counted, timeCounted));
}

// "who is the head of marketing", "who's our insurer": the identity of whoever holds a role.
const IDENTITY = /^\s*who(?:\s+is|\s+are|['’]s|['’]re)\s+(?:the|our)\s+(.+)$/i;
// Not an identity but where to turn: "who is our insurance with", "the person to ask", "the right contact".
const NOT_A_ROLE = list(`with to for from about by person people one contact someone somebody right best`);

/**
 * The topic terms of the role a question asks the holder of ("who is the head of the marketing team?" → head,
 * marketing, team), or null when it asks something else ("who do I call", "who is our insurance with").
 */
export function identityAsked(question: string): Set<string> | null {
  for (const clause of question.split(/[,;:?!.()\n]+|\s[-–—]\s/)) {
    const role = clause.match(IDENTITY)?.[1];
    if (role === undefined) continue;
    if (words(role).some((w) => NOT_A_ROLE.has(w))) return null;
    const terms = new Set(topicWords(role).keys());
    return terms.size > 0 ? terms : null;
  }
  return null;
}

// Words that open a sentence capitalised before a name or a title ("Our Head of People", "The Finance team").
const NAME_OPENERS = list(`the our your a an for if in on at when each every all please ask contact`);
// Two or more capitalised words in a row ("Priya Shah", "Meridian Health"), or an address to write to.
const CAPITALISED_RUN = /\p{Lu}[\p{Ll}'’.-]*(?:\s+\p{Lu}[\p{Ll}'’.-]*)+/gu;
const EMAIL = /[\w.+-]+@[\w-]+\.\w/;

/**
 * Whether a sentence of the text holds a word of the role and names someone for it: an email address, or a name
 * of two capitalised words that are not all the question's own ("Our warehouse at Brackley Road" names a place
 * the question gave, nobody in it).
 */
export function namesSomeoneFor(text: string, role: Set<string>, question: string): boolean {
  const asked = new Set(words(question));
  return snippetSentences(text).some((sentence) => {
    if (!readWords(sentence).some((x) => role.has(x.term))) return false;
    if (EMAIL.test(sentence)) return true;
    return [...sentence.matchAll(CAPITALISED_RUN)].some((m) =>
      words(m[0]).some((w) => !asked.has(w) && !NAME_OPENERS.has(w)),
    );
  });
}
