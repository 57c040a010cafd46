import { withFullWords } from './chat-abbreviations.js';
import { readWords } from './synonyms.js';
import { stem, withoutClitic, words } from './words.js';

/**
 * How a question typed in Slack is read for search: chat filler (greetings, thanks, "pls", "quick
 * question", mentions, emoji) carries no meaning, so it must neither be searched nor count against how much
 * of the question a passage covers. The word level (splitting, stemming) is words.ts.
 */

// Greetings, politeness, chat abbreviations, chat spellings of function words ("thru", "gonna", "u") and framing
// words people put around a question. Only words that never carry the question's meaning ("someone", "asking",
// "know" can, and measured worse removed). Not question words: "how", "when", "where" are stop words to Postgres
// already, and content words are never here.
const FILLER = new Set(
  `hi hey heya hello hiya yo folks guys pls plz please thanks thank thx ty cheers tia sorry
  quick question q qq wondering curious lol haha btw fyi imo imho tbh afaik iirc ok okay oh ah um uh hmm
  just actually really basically
  thru tho u ur ya gonna wanna gotta lemme gimme cuz coz abt rn`.split(/\s+/),
);

// English stop words (a subset of Postgres's list) for the JS-side scorer; Postgres drops its own in SQL.
const STOP = new Set(
  `a an and are as at be been being but by can could did do does doing for from had has have having he her here
  him his how i if in into is it its me my myself no nor not of off on once only or other our ours out over own
  same she should so some such than that the their them then there these they this those through to too under
  until up very was we were what when where which while who whom why will with would you your yours yourself
  am any both each few more most further again against about above after before below between down during
  i'm im i've ive i'd id we're were you're youre it's whats what's`.split(/\s+/),
);

/**
 * A message without what carries no words of its own: Slack mentions and channel links, web links (a pasted
 * link points at something; its pieces, "https", "com", are no topic words), emoji codes and emoji.
 */
export function withoutChatMarkup(text: string): string {
  return text
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/:[a-z0-9_+-]+:/gi, ' ')
    .replace(/[\p{Extended_Pictographic}]/gu, ' ');
}

// Contractions typed without their apostrophe, as Slack messages often are ("dont", "thats", "doesnt"): stop
// words, as "don't" is. Not those that are words of their own ("ill", "wed", "well", "hell", "shell", "id").
const BARE_CONTRACTIONS = new Set(
  `dont cant doesnt isnt wont didnt arent wasnt werent havent hasnt hadnt shouldnt wouldnt couldnt mustnt
  im ive youre whats thats theres hows wheres whos whens whys youve youll youd theyre theyve theyll weve hes shes
  lets`.split(/\s+/),
);

/**
 * A contraction of words that name no topic, with its apostrophe or without ("don't", "doesnt", "I'm"):
 * Postgres's parser reads "doesn't" as "doesn" (and the stop word "t"), "I'm" as "m", "won't" as "won" and
 * "dont" as itself, none of them a stop word to it, so each had to be in a passage for the question's words all to match.
 */
const isFunctionContraction = (word: string) =>
  BARE_CONTRACTIONS.has(word) || (/['’]/.test(word) && STOP.has(withoutClitic(word)));

/** A text's whitespace-separated tokens, in order, but those holding no word or only words that are `noise`. */
const tokensWithout = (text: string, noise: (word: string) => boolean): string[] =>
  text.split(/\s+/).filter((token) => {
    const w = words(token);
    return w.length > 0 && !w.every(noise);
  });

/**
 * The question without chat filler: Slack mentions, channel links, web links, emoji codes, filler words and
 * contractions of stop words are removed; the rest keeps its order. A question made only of filler is returned
 * as typed.
 */
export function searchableQuestion(question: string): string {
  const kept = tokensWithout(withoutChatMarkup(question), (x) => FILLER.has(x) || isFunctionContraction(x))
    // Full-text search too looks for the full word of a chat shortening ("docs": documents).
    .map(withFullWords)
    .join(' ')
    .trim();
  return words(kept).some((w) => !STOP.has(w)) ? kept : question.trim();
}

// Words that frame a question ("how much", "how long", "can I get", "am I allowed") rather than name its
// topic: a passage that answers need not contain them, so they do not count against its coverage. The nouns
// "length", "duration" and "deadline" ask for an amount the way "how long" does ("parental leave length?"): the
// passage answers with the number or date; "minimum" and "maximum" with the bound ("at least 14 characters").
// How good the asker wants it ("a proper office chair", "a decent laptop") names no topic: the passage says "a chair".
// "thing(s)" names nothing ("if a deploy breaks things"); "stuff" alike, but left a topic word: as framing it let
// "personal stuff like gaming" be quoted from the laptop policy (BENCHMARKS.md, twentieth session).
const FRAMING_WORDS = new Set(
  `much many long often far soon get gets got getting need needs want wants take use allowed allow allowing
  happen happens exist exists whats what m d s ll ve re tmrw today tomorrow anything something somewhere someone
  anyone ok go going able possible way still also else ever even length duration deadline
  minimum maximum min max thing things proper decent nice better`.split(/\s+/),
);
const FRAMING = new Set([...FRAMING_WORDS].map((w) => stem(w)));

/** A word that carries no topic: a stop word or chat filler (clitics and negations read as their word). */
const isFunctionWord = (word: string) => {
  const w = withoutClitic(word);
  return STOP.has(w) || FILLER.has(w) || BARE_CONTRACTIONS.has(w);
};

/** A word that names no topic in a question, as spelled: a stop word, chat filler or framing word ("long"). */
export const namesNoTopic = (word: string) =>
  STOP.has(word) || FILLER.has(word) || BARE_CONTRACTIONS.has(word) || FRAMING_WORDS.has(word);

/** The words of a question typed in capitals ("AWS", "HSA"), lowercase: acronyms (or shouting), never typos. */
export function wordsInCapitals(question: string): Set<string> {
  return new Set((question.match(/\b[A-Z]{2,}\b/g) ?? []).map((w) => w.toLowerCase()));
}

/**
 * The content terms of a text: stems of its words without stop words or filler, every synonym phrase as one
 * "syn<g>" token (a phrase is kept even if made of stop words, as "time off" is).
 */
export function contentTerms(text: string): string[] {
  return contentWords(text).map((w) => w.term);
}

/** The content words of a text as read (stop words and filler left out), with their terms. */
export const contentWords = (text: string) =>
  readWords(text).filter((w) => w.group !== undefined || !isFunctionWord(w.word));

/** What `contentWords` reads from a text: a hit's are read once and serve its terms and its near words. */
export type ContentWords = ReturnType<typeof contentWords>;

// Words that ask for a degree right after "how" ("how fast", "how early", "how big"): the answer is a time, a
// date or a size, which the passage states without the word. Elsewhere they name the topic ("late arrivals",
// "early retirement"), so only right after "how".
const HOW_DEGREE =
  /\bhow\s+(?:fast|quick|quickly|early|late|big|large|small|old|high|low|frequently|close|near)\b/giu;

/**
 * The question as full-text search reads it: without the words that frame it ("how much", "can I get", "am I
 * allowed"), which no more tell a passage that answers than one that does not; the question as given when nothing
 * else is left.
 */
export function withoutFraming(question: string): string {
  const kept = tokensWithout(question.replace(HOW_DEGREE, 'how'), (x) => FRAMING.has(stem(x))).join(' ');
  return topicWords(kept).size > 0 ? kept : question;
}

/** The words naming a question's topic: content words without framing, synonyms read as one meaning. */
export function topicTerms(question: string): string[] {
  return [...topicWords(question).keys()];
}

/** Each topic term of a question with the word (or synonym phrase) the question typed for it, first use. */
export function topicWords(question: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const w of contentWords(question.replace(HOW_DEGREE, 'how'))) {
    if (!FRAMING.has(w.term) && !out.has(w.term)) out.set(w.term, w.word);
  }
  return out;
}

/** The share of a question's topic terms a text holds (synonyms count: "PTO" is covered by "time off"). */
export function topicCoverage(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const have = new Set(contentTerms(text));
  return terms.filter((t) => have.has(t)).length / terms.length;
}
