import type { SearchHit } from './hybrid-search.repo.js';

/**
 * When retrieval counts as having found something worth answering from. Calibrated on both shipped
 * evaluation sets (tests/fixtures/eval and eval-slack: answerable questions vs `unanswerable.jsonl`); see
 * BENCHMARKS.md, "Answer quality".
 */
export interface ConfidenceThresholds {
  /**
   * Least weighted share of the question's topic words (term-weights.ts: each word by its rarity in everyday
   * English and by how few retrieved passages hold it; filler and framing such as "how long", "can I get" left
   * out, synonyms as one meaning) one of the top hits must contain to be quoted without a model (a hit read with
   * the retrieved chunks right next to it, search.service.ts). 0.5: the threshold with the best worse-of-the-two
   * (answer shown, abstention) on the Slack-like set; checked on Kestrel and on held-out questions
   * (BENCHMARKS.md, "Answer quality").
   */
  minTermCoverage: number;
  /**
   * Least weighted share of the question's topic words a top hit must hold for its passage to be shown, without a
   * model, as the closest under "I couldn't find a clear answer" when it is not confident (`close`). 0.2, about one
   * of five topic words: passages under a question the documents do not answer cost the member a glance; a member
   * sent away without an answer that was there loses it. 0.3 reached fewer members on every set, 0.1 few more,
   * with passages under nearly every unanswerable question (BENCHMARKS.md, "Answer quality", 2026-12-05).
   */
  minCloseCoverage: number;
  /**
   * Least cosine similarity of the nearest chunk. Not calibrated on a real embedding model here (no key in
   * CI): 0.4 is a conservative prior for text-embedding-3-small, where unrelated text scores ≈ 0.1–0.25.
   */
  minSimilarity: number;
  /** How many of the top hits are looked at. */
  topHits: number;
  /**
   * Least cosine similarity for a hit with none of the question's words to count as related at all (the
   * model-mode gate, `relevant`). A prior: unrelated text scores ≈ 0.1–0.25 with text-embedding-3-small.
   */
  minRelatedSimilarity: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceThresholds = {
  minTermCoverage: 0.5,
  minCloseCoverage: 0.2,
  minSimilarity: 0.4,
  topHits: 3,
  minRelatedSimilarity: 0.3,
};

/** The relevance signal the answer step uses to decide between answering and "I don't know". */
export interface Relevance {
  /** Strong enough to quote passages as the answer (no model: nobody else judges them). */
  confident: boolean;
  /**
   * Anything related came back at all: a hit holding one of the question's words, or a near enough vector.
   * With a model, this is the only gate before it: the model judges whether the passages answer.
   */
  relevant: boolean;
  /** Not necessarily confident, but a top hit is close enough to show as the closest (no model). */
  close: boolean;
  /** What made it confident (or 'none'). */
  basis: 'terms' | 'similarity' | 'none';
  bestTermCoverage: number;
  bestSimilarity: number | null;
}

/**
 * Judges a ranked list of hits: confident when a top hit covers enough of the question or is near enough.
 * `quotable[i]` false: hit i may not make the reply confident by its words (it lacks the thing asked about,
 * asked-object.ts), though it still counts as close and relevant.
 */
export function assessRelevance(
  hits: SearchHit[],
  t: ConfidenceThresholds = DEFAULT_CONFIDENCE,
  quotable: ReadonlyArray<boolean> = [],
): Relevance {
  const top = hits.slice(0, t.topHits);
  const bestTermCoverage = Math.max(0, ...top.map((h) => h.termCoverage));
  const coveredEnough = top.some((h, i) => h.termCoverage >= t.minTermCoverage && quotable[i] !== false);
  const sims = top.map((h) => h.similarity).filter((s): s is number => s !== null);
  const bestSimilarity = sims.length ? Math.max(...sims) : null;
  const relevant = hits.some(
    (h) => h.termCoverage > 0 || (h.similarity !== null && h.similarity >= t.minRelatedSimilarity),
  );
  const close = top.length > 0 && bestTermCoverage >= t.minCloseCoverage;
  const signals = { relevant, close, bestTermCoverage, bestSimilarity };
  if (coveredEnough) {
    return { confident: true, basis: 'terms', ...signals };
  }
  if (bestSimilarity !== null && bestSimilarity >= t.minSimilarity) {
    return { confident: true, basis: 'similarity', ...signals };
  }
  return { confident: false, basis: 'none', ...signals };
}
