import { countTokens } from '../knowledge/ingestion/tokens.js';
import type { ThreadMessage } from './answer.types.js';

/** Keeps the most recent thread messages that fit in `budget` tokens, oldest first. */
export function trimThread(messages: ThreadMessage[], budget: number): ThreadMessage[] {
  const kept: ThreadMessage[] = [];
  let used = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!m) continue;
    const cost = countTokens(m.text) + 4;
    if (used + cost > budget) break;
    kept.unshift(m);
    used += cost;
  }
  return kept;
}
