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

/**
 * The topic terms that only the statements around a question hold: its situation. Empty when the message is one
 * clause, when no clause asks, or when the clauses that ask hold no topic word of their own ("…, is that ok?":
 * then the situation is what is asked about).
 */
export function situationTerms(question: string): Set<string> {
  const clauses = clausesOf(question);
  const asking = clauses.filter(asks);
  const stating = clauses.filter((c) => !asks(c));
  if (asking.length === 0 || stating.length === 0) return new Set();
  const asked = new Set(asking.flatMap((c) => [...topicWords(c.text).keys()]));
  if (asked.size === 0) return new Set();
  return new Set(stating.flatMap((c) => [...topicWords(c.text).keys()]).filter((t) => !asked.has(t)));
}
