import { withoutChatMarkup } from '../knowledge/retrieval/question-terms.js';
import { words } from '../knowledge/retrieval/words.js';

/**
 * Messages that are not questions: a greeting ("hi lore", "good morning"), thanks or an acknowledgement
 * ("thanks!", "ok cool"), or a question about Lore itself ("what can you do?", "help"). Searched, they found
 * nothing and got "I couldn't find this… I've noted the question for your admins", filling the admins'
 * knowledge gaps with "thanks"; or they matched a word ("help", "morning") and got passages quoted. They get
 * a short reply instead, with no search, no model call and no knowledge gap. Deliberately narrow: a message
 * is small talk only when every word is one of these; any other word ("hi, how many vacation days do I
 * get?", "help with expenses") makes it a question.
 */
export type SmallTalk = 'greeting' | 'thanks' | 'about';

const list = (s: string) => new Set(s.trim().split(/\s+/));

const GREETING = list(`hi hey heya hello hiya hallo yo howdy sup gm morning afternoon evening good`);
const THANKS = list(`thanks thank thx ty tysm cheers ta appreciate appreciated`);
const ACKNOWLEDGEMENT = list(`ok okay k kk cool good great perfect awesome nice brilliant got it makes sense
  understood noted sounds helpful helped helps that this was lol haha`);
// Words around a greeting or thanks that add nothing ("hi there team", "thanks so much lore").
const AROUND = list(`there all everyone everybody team folks guys again lore bot you so much a lot very many
  for the help your my friend mate`);

// Words dropped before matching ABOUT: "hi, what can you do for me please?" asks the same.
const POLITE = list(`please pls plz here exactly for me us`);
const withoutPolite = (ws: string[]) =>
  ws.filter((w) => !GREETING.has(w) && !THANKS.has(w) && !POLITE.has(w));

// Questions about Lore itself, read as typed messages are: politeness words dropped.
const ABOUT = new Set(
  [
    'help',
    'what can you do',
    'what do you do',
    'what can i ask',
    'what can i ask you',
    'what should i ask',
    'what do you know',
    'who are you',
    'what are you',
    'what is lore',
    'what s lore',
    'whats lore',
    'are you there',
    'are you a bot',
    'how do you work',
    'how does this work',
    'how does lore work',
    'how do i use you',
    'how do i use this',
    'how do i use lore',
    'can you help',
    'can you help me with something',
    'i have a question',
    'i need help',
    'can i ask you something',
    'can i ask you a question',
  ].map((p) => withoutPolite(p.split(' ')).join(' ')),
);

/** What kind of small talk a message is, or null when it is (or may be) a question for the documents. */
export function smallTalkOf(message: string): SmallTalk | null {
  // "what's" as "what s": the phrases below are written so.
  const typed = words(withoutChatMarkup(message).replace(/[’']/g, ' '));
  // A bare mention, "?", or only emoji: a nudge to say what Lore is for.
  if (typed.length === 0) return 'greeting';
  // Lore's name as an address ("hey lore, who are you?") is dropped; asked about ("what is lore?") it is kept.
  const asked = withoutPolite(typed);
  const addressed = asked[0] === 'lore' ? asked.slice(1) : asked;
  if (ABOUT.has(asked.join(' ')) || ABOUT.has(addressed.join(' '))) return 'about';
  const only = (...sets: Set<string>[]) => typed.every((w) => AROUND.has(w) || sets.some((s) => s.has(w)));
  const any = (set: Set<string>) => typed.some((w) => set.has(w));
  if (any(THANKS) && only(THANKS, ACKNOWLEDGEMENT, GREETING)) return 'thanks';
  if (any(ACKNOWLEDGEMENT) && only(ACKNOWLEDGEMENT)) return 'thanks';
  if (any(GREETING) && only(GREETING)) return 'greeting';
  return null;
}

export const SMALL_TALK_REPLIES: Record<SmallTalk, string> = {
  greeting:
    "Hi! Ask me anything about your workspace's documents, the way you'd ask a colleague: I answer from them and cite my sources. If they don't cover it, I'll say so.",
  thanks: "Glad to help! Ask me anything else about your workspace's documents whenever you need.",
  about:
    "I answer questions from your workspace's documents and cite the passages I used, so you can check them. Ask the way you'd ask a colleague, for example _how many vacation days do I get?_ Mention me in a channel, message me directly, or use `/ask`. If the documents don't cover something, I'll say so and note the question for your admins.",
};
