import { NO_ANSWER } from './prompts.js';

// Formatting a model may wrap the marker in ("*NO_ANSWER*", "`NO_ANSWER`", "> NO_ANSWER").
const LEADING_MARKUP = /^[\s*_`"'>~]+/;

/**
 * True when the model's reply says the sources do not answer: it carries the fixed NO_ANSWER marker
 * (anywhere: "NO_ANSWER.", "*NO_ANSWER*", or after a sentence despite the prompt). Never inferred from
 * prose such as "the documents don't say", which a real answer may also contain.
 */
export function isAbstention(reply: string): boolean {
  return reply.includes(NO_ANSWER);
}

/**
 * Wraps a streaming callback so the marker never reaches the member: text is held back while the reply
 * could still be (or already is) the marker, and released at once when it cannot be.
 */
export function holdBackMarker(onDelta: (text: string) => Promise<void> | void) {
  let held = '';
  let released = false;
  return {
    push: async (delta: string) => {
      if (released) {
        // A marker after real text: stop streaming, the answer is replaced by "I don't know" at the end.
        if (!delta.includes(NO_ANSWER)) await onDelta(delta);
        return;
      }
      held += delta;
      const start = held.replace(LEADING_MARKUP, '');
      const couldBeMarker = NO_ANSWER.startsWith(start) || start.startsWith(NO_ANSWER);
      if (!couldBeMarker) {
        released = true;
        await onDelta(held);
      }
    },
    /** Sends what is still held back (a short reply that ended while it could still be the marker). */
    flush: async () => {
      if (!released && held && !isAbstention(held)) {
        released = true;
        await onDelta(held);
      }
    },
  };
}
