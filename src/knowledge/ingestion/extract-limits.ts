import { IngestError } from './ingest-error.js';

/** What one document may cost to read: checked while parsing and chunking, not after. */
export interface ExtractLimits {
  /** PDFs with more pages are refused before any text is read. */
  maxPages: number;
  /** Passages this document may add: the plan's limit less what the tenant's other documents hold. */
  maxChunks: number;
  /** The plan's passage limit, for the message. */
  planMaxChunks: number;
}

// A passage holds at most 400 tokens, about 1,600 characters of prose; twice that leaves room for overlap and
// token-dense text, so text past it could never fit in the passages left, and is refused before chunking.
const CHARS_PER_PASSAGE = 4_000;

/** The most characters of text a document may hold under `limits`. */
export function maxCharsFor(limits: ExtractLimits): number {
  return limits.maxChunks * CHARS_PER_PASSAGE;
}

/** The error for a document that would take the knowledge base past the plan's passage limit. */
export function passageLimitError(limits: ExtractLimits, reason: 'too_much_text' | 'too_many_passages') {
  return new IngestError(
    reason,
    `This document would take the knowledge base past your plan's ${limits.planMaxChunks} passages. Delete some documents, split this one, or upgrade.`,
  );
}

/** Throws when more than `limits` allow has been read already (`chars` so far). */
export function checkChars(chars: number, limits: ExtractLimits): void {
  if (chars > maxCharsFor(limits)) throw passageLimitError(limits, 'too_much_text');
}

/** The limits when nothing is capped (tests, tools): effectively unlimited. */
export const NO_LIMITS: ExtractLimits = {
  maxPages: Number.MAX_SAFE_INTEGER,
  maxChunks: 10_000_000,
  planMaxChunks: 10_000_000,
};
