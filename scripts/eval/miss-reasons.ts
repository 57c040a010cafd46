import type { RetrievedPassage } from '../../src/ai/answer.types.js';

/**
 * Where an answerable question was lost without a model, from the member's side back to retrieval. Each
 * question gets exactly one: the first step, in answer-step order, that lost the answer.
 */
export type NoModelOutcome =
  | 'shown'
  /** The gate said "I don't know" though one of the passages it would have quoted held the answer. */
  | 'declined, answer in top 3'
  /** Declined, and the answer was only in a passage below the quoted three. */
  | 'declined, answer ranked below 3'
  /** Declined, and no retrieved passage held the answer: declining lost nothing quotable. */
  | 'declined, not retrieved'
  /** Quoted a passage holding the answer, but its snippet left the answering sentence out. */
  | 'quoted, snippet missed it'
  | 'quoted, answer ranked below 3'
  | 'quoted, not retrieved';

export const NO_MODEL_OUTCOMES: NoModelOutcome[] = [
  'shown',
  'declined, answer in top 3',
  'declined, answer ranked below 3',
  'declined, not retrieved',
  'quoted, snippet missed it',
  'quoted, answer ranked below 3',
  'quoted, not retrieved',
];

/** Classifies one answerable question; `holds` tells whether a passage holds the answer. */
export function noModelOutcome(
  reached: boolean,
  declined: boolean,
  passages: RetrievedPassage[],
  quoted: number,
  holds: (p: RetrievedPassage) => boolean,
): NoModelOutcome {
  if (reached) return 'shown';
  const at = passages.findIndex(holds);
  if (declined) {
    if (at === -1) return 'declined, not retrieved';
    return at < quoted ? 'declined, answer in top 3' : 'declined, answer ranked below 3';
  }
  if (at === -1) return 'quoted, not retrieved';
  return at < quoted ? 'quoted, snippet missed it' : 'quoted, answer ranked below 3';
}

/** "shown 86, declined with the answer in the top 3: 9, …": counts of every outcome that occurred. */
export function formatBreakdown(outcomes: Iterable<NoModelOutcome>): string {
  const counts = new Map<NoModelOutcome, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return NO_MODEL_OUTCOMES.filter((o) => counts.has(o))
    .map((o) => `${o}: ${counts.get(o)}`)
    .join(' | ');
}
