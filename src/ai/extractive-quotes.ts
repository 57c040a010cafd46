import { DEFAULT_CONFIDENCE } from '../knowledge/retrieval/confidence.js';
import { DEFAULT_SNIPPET, querySnippet, type SnippetOptions } from '../knowledge/retrieval/snippets.js';
import { PASSAGES_FOR_EXTRACT, type Retrieval, type RetrievedPassage } from './answer.types.js';

/**
 * Without a model, the best passage is quoted at more length than the others (which keep querySnippet's 420
 * characters and 3 matched sentences): its answer is often a sentence or two past the words that matched.
 * Measured against longer quotes for every passage (BENCHMARKS.md, "Answer quality", 2026-12-05).
 */
const BEST_PASSAGE_QUOTE = { maxChars: 800, maxSentences: 5 };
const OTHER_PASSAGE_QUOTE = DEFAULT_SNIPPET;

/** The passages a reply without a model quotes, in order, each with its quote. */
export interface Quotes {
  passages: RetrievedPassage[];
  snippets: string[];
}

/**
 * What a reply without a model quotes, as the answer (`confident`) or as the closest passages. As the answer: the
 * passage covering most of the question first, quoted at more length as source [1] (the best-ranked one may cover
 * only the member's situation; between passages covering it alike, the one that also speaks to the situation, then
 * rank), and never a passage covering less of the question than a closest passage must (a fifth of its topic
 * words, `minCloseCoverage`): one that would not even be shown as the closest is no part of an answer, and the
 * room it leaves goes to the best passage's quote, so the reply is never longer. As the closest passages, rank
 * order stays and all are quoted, the first at more length (BENCHMARKS.md, nineteenth and twenty-seventh sessions).
 */
export function quotesFor(question: string, retrieval: Retrieval): Quotes {
  const ranked = retrieval.passages.slice(0, PASSAGES_FOR_EXTRACT);
  if (!retrieval.confident) {
    const quote = (p: RetrievedPassage, i: number) =>
      querySnippet(question, p.content, i === 0 ? BEST_PASSAGE_QUOTE : OTHER_PASSAGE_QUOTE);
    return { passages: ranked, snippets: ranked.map(quote) };
  }
  const [best, ...rest] = [...ranked].sort(byCoverage);
  if (!best) return { passages: [], snippets: [] };
  const others = rest.filter((p) => p.termCoverage >= DEFAULT_CONFIDENCE.minCloseCoverage);
  const left = rest.length - others.length;
  const bestQuote = {
    maxChars: BEST_PASSAGE_QUOTE.maxChars + left * OTHER_PASSAGE_QUOTE.maxChars,
    maxSentences: BEST_PASSAGE_QUOTE.maxSentences + left * OTHER_PASSAGE_QUOTE.maxSentences,
  } satisfies SnippetOptions;
  return {
    passages: [best, ...others],
    snippets: [
      querySnippet(question, best.content, bestQuote),
      ...others.map((p) => querySnippet(question, p.content, OTHER_PASSAGE_QUOTE)),
    ],
  };
}

/** Passages covering more of the question first, then more of the whole message (the situation told included). */
function byCoverage(a: RetrievedPassage, b: RetrievedPassage): number {
  return b.termCoverage - a.termCoverage || (b.messageCoverage ?? 0) - (a.messageCoverage ?? 0);
}
