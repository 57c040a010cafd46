import { TOPIC_COUNT } from '../../tests/support/synthetic-chunks.js';

/**
 * Words for synthetic chunks, so the full-text half of hybrid search has real work: each shared topic of
 * tests/support/synthetic-chunks.ts owns a few words, and every chunk also holds common words all topics
 * share. A question names words of its topic, so BM25 finds that topic's chunks, as the vector half does.
 * The words are made-up consonant-vowel syllables: no English stop words, and stemming leaves them apart.
 */
const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu'
  .concat(' ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu')
  .split(' ');
const WORDS_PER_TOPIC = 24;
const COMMON_WORDS = 2_000;

/** The i-th made-up word: three syllables and a closing consonant (`kalomir`). */
function word(i: number): string {
  const s = SYLLABLES.length;
  const at = (n: number) => SYLLABLES[n % s] as string;
  return `${at(i)}${at(Math.floor(i / s))}${at(Math.floor(i / s / s))}r`;
}

const topicWord = (topic: number, j: number) => word(topic * WORDS_PER_TOPIC + j);
const commonWord = (j: number) => word(TOPIC_COUNT * WORDS_PER_TOPIC + j);

/** A chunk's text: 10 words of its topic among 20 common ones (30 tokens, about a short paragraph). */
export function chunkText(topic: number, random: () => number): string {
  const words: string[] = [];
  for (let i = 0; i < 10; i++) words.push(topicWord(topic, Math.floor(random() * WORDS_PER_TOPIC)));
  for (let i = 0; i < 20; i++) words.push(commonWord(Math.floor(random() * COMMON_WORDS)));
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [words[i], words[j]] = [words[j] as string, words[i] as string];
  }
  return words.join(' ');
}

export const CHUNK_TOKENS = 30;

/** A question about `topic`: three of its words. */
export function questionText(topic: number, random: () => number): string {
  return Array.from({ length: 3 }, () => topicWord(topic, Math.floor(random() * WORDS_PER_TOPIC))).join(' ');
}
