import { topicWords } from './question-terms.js';
import { withoutClitic, words } from './words.js';

/**
 * Members often tell their situation before they ask: "my grandad died yesterday. how much time off can I
 * have?", "a supplier sent me a bottle of wine, can I keep it?". The passage that answers names what is asked
 * (time off, gifts) but rarely the member's own circumstances ("grandad", "yesterday", "wine"), and those words,
 * rare and specific, weighed the most against it: such questions were declined with the answer in the top
 * passage. Retrieval still searches every word (the situation finds the right policy), and so do the quotes
 * (snippets.ts: the situation finds the right sentence); a hit covers the question when it covers the whole
 * message or the clauses that ask (search.service.ts).
 */

// A clause asks when it ends with "?" or opens (after "and", "so"…) with a question word or the verb that
// starts a question ("can I…", "is there…", "any…", "ok to…").
const OPENS_A_QUESTION = new Set(
  `how what when where who whom whose which why do does did can could is are was were should would will shall may
  might must am any anything anyone anybody ok okay`.split(/\s+/),
);
const LINKING = new Set(`and but so or also then plus`.split(/\s+/));

/**
 * Clauses of a message, each with whether a "?" closes it: split at punctuation followed by a space (not "3.5" or
 * "£1,500"), at line breaks and at dashes.
 */
function clausesOf(text: string): Array<{ text: string; asked: boolean }> {
  // With the separator captured, the parts alternate: clause, separator, clause, …
  const parts = text.split(/([.?!;:,]+(?=\s|$)|\n|\s[-–—]\s)/);
  const out: Array<{ text: string; asked: boolean }> = [];
  for (let i = 0; i < parts.length; i += 2) {
    const clause = (parts[i] as string).trim();
    if (clause) out.push({ text: clause, asked: (parts[i + 1] ?? '').includes('?') });
  }
  return out;
}

const asks = (clause: { text: string; asked: boolean }) => {
  if (clause.asked) return true;
  const w = words(clause.text).map(withoutClitic);
  const first = w.find((x) => !LINKING.has(x));
  return first !== undefined && OPENS_A_QUESTION.has(first);
};

// When the situation happens ("next month", "yesterday", "in two weeks"): the passage that answers never says
// it, and "month" or "week" is in many passages that do not answer.
const TIME_UNITS =
  `days? weeks? weekends? months? years? nights? mornings? afternoons? evenings? mondays? tuesdays?
  wednesdays? thursdays? fridays? saturdays? sundays? summer winter spring autumn`
    .split(/\s+/)
    .join('|');
const COUNTS = 'a|an|one|two|three|four|five|six|\\d+';
const WHEN = new RegExp(
  `\\b(?:(?:next|last|this|every|each|coming|past|in (?:${COUNTS})|for (?:${COUNTS})|${COUNTS})\\s+(?:${TIME_UNITS})|yesterday|today|tomorrow|tonight|lately|recently)\\b`,
  'gi',
);

// An asking clause that ends by pointing back ("… for that?", "does insurance cover it?", "who do I report it
// to?") asks about the situation itself.
const POINTS_BACK =
  /\b(?:it|that|this|them|those|these)(?:\s+(?:to|for|on|in|with|back|off|up|out|again|ok|okay|allowed|possible|fine))?$/i;

export interface Situation {
  /** The topic terms only the statements hold: a passage covers the question without them. */
  terms: Set<string>;
  /** Those of `terms` that say when it happens: they weigh nothing at all. */
  when: Set<string>;
  /**
   * What is asked points back at the statements: a passage that covers it without them answers only if it holds
   * one of their words ("I'm moving house. do we get a day off for that?" is not answered by "a day off in lieu"
   * for working on a public holiday).
   */
  pointsBack: boolean;
  /** The statements as typed ("I'm moving house next month"), for a reply that names what it could not find. */
  told: string;
}

const noSituation = (): Situation => ({ terms: new Set(), when: new Set(), pointsBack: false, told: '' });

/**
 * The member's situation told around the question. None when the message is one clause, when no clause asks,
 * or when the clauses that ask hold no topic word of their own ("…, is that ok?": then the situation is what is
 * asked about).
 */
export function readSituation(question: string): Situation {
  const clauses = clausesOf(question);
  const asking = clauses.filter(asks);
  const stating = clauses.filter((c) => !asks(c));
  if (asking.length === 0 || stating.length === 0) return noSituation();
  const asked = new Set(asking.flatMap((c) => [...topicWords(c.text).keys()]));
  if (asked.size === 0) return noSituation();
  const terms = new Set(stating.flatMap((c) => [...topicWords(c.text).keys()]).filter((t) => !asked.has(t)));
  const times = stating.flatMap((c) =>
    [...c.text.matchAll(WHEN)].flatMap((m) => [...topicWords(m[0]).keys()]),
  );
  return {
    terms,
    when: new Set(times.filter((t) => terms.has(t))),
    pointsBack: asking.some((c) => POINTS_BACK.test(c.text)),
    told: stating.map((c) => c.text).join(', '),
  };
}
