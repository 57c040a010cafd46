import { splitSentences } from '../ingestion/sentences.js';
import { contentTerms, topicTerms } from './question-terms.js';

/** A passage cut into its sentences, each marked when it matched the question. */
export interface PassagePiece {
  text: string;
  matched: boolean;
}

/**
 * Which sentences of a passage answer to the question: those holding the most of the question's topic
 * words (stems and synonyms, as search reads them), and any holding at least half as many. A passage
 * sharing no topic word with the question has nothing marked.
 */
export function matchedSentences(question: string, passage: string): PassagePiece[] {
  const terms = new Set(topicTerms(question));
  const sentences = splitSentences(passage);
  const scores = sentences.map((s) => new Set(contentTerms(s).filter((t) => terms.has(t))).size);
  const best = Math.max(0, ...scores);
  return sentences.map((text, i) => ({
    text,
    matched: best > 0 && (scores[i] ?? 0) >= Math.max(1, best / 2),
  }));
}
