import { decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';

// text-embedding-3-small tokenises with cl100k_base. Text from documents may contain strings that look like
// special tokens ("<|endoftext|>"); they are ordinary text here, so encoding must not reject them.
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Number of cl100k_base tokens in `text` (what text-embedding-3-small counts). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return encode(text, PLAIN).length;
}

/** The tokens of `text`, for cutting it at token boundaries. */
export function encodeTokens(text: string): number[] {
  return encode(text, PLAIN);
}

/** The text of `tokens`. */
export function decodeTokens(tokens: readonly number[]): string {
  return decode(tokens);
}

/**
 * Cuts `text` into consecutive pieces of at most `maxTokens` tokens each, preferring to end a piece at
 * whitespace so words stay whole. Every piece is non-empty and trimmed; together they hold all the words.
 */
export function splitByTokens(text: string, maxTokens: number): string[] {
  const tokens = encodeTokens(text);
  const pieces: string[] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = Math.min(start + maxTokens, tokens.length);
    if (end < tokens.length) end = wordBoundaryBefore(tokens, start, end);
    const piece = decodeTokens(tokens.slice(start, end)).trim();
    if (piece) pieces.push(piece);
    start = end;
  }
  return pieces;
}

/** Index in (start, end] just after a token ending a word, or `end` when the window has none. */
function wordBoundaryBefore(tokens: readonly number[], start: number, end: number): number {
  // Look back at most a quarter of the window: a long run without spaces (a URL, a hash) is cut anyway.
  const floor = Math.max(start + 1, end - Math.ceil((end - start) / 4));
  for (let i = end; i > floor; i--) {
    if (/^\s/.test(decodeTokens([tokens[i] as number]))) return i;
  }
  return end;
}

/** The last words of `text` fitting in `maxTokens` tokens, starting at a word boundary ('' when none fit). */
export function tailByTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const tokens = encodeTokens(text);
  if (tokens.length <= maxTokens) return text;
  let start = tokens.length - maxTokens;
  // Start on a token that begins a word, so the overlap never opens with half a word.
  while (start < tokens.length && !/^\s/.test(decodeTokens([tokens[start] as number]))) start++;
  return decodeTokens(tokens.slice(start)).trim();
}
