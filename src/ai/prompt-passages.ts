import { countTokens } from '../knowledge/ingestion/tokens.js';
import type { RetrievedPassage } from './answer.types.js';

/**
 * The passages the model reads: best first, at most `max`, while their text fits in `budget` tokens. The best
 * passage always goes in; one that would overflow the budget is skipped and a shorter one after it may still
 * fit. The count sets what the model can see (BENCHMARKS.md, "Answer quality": more sources put the answer in
 * the prompt more often); the budget bounds what a question costs when passages are long.
 */
export function passagesForPrompt(
  passages: RetrievedPassage[],
  max: number,
  budget: number,
): RetrievedPassage[] {
  const kept: RetrievedPassage[] = [];
  let used = 0;
  for (const p of passages) {
    if (kept.length >= max) break;
    const cost = countTokens(p.content);
    if (kept.length > 0 && used + cost > budget) continue;
    kept.push(p);
    used += cost;
  }
  return kept;
}
