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

// gpt-tokenizer 4.0 decodes through one module-wide TextDecoder in streaming mode and never flushes it: a
// slice ending inside a multi-byte character leaves those bytes behind, and they come out at the start of
// the NEXT decode, whoever's text that is. Every decode here ends with this complete 4-byte character (four
// byte tokens), which drains the decoder, and the character is cut off again.
const DRAIN_CHAR = '\u{10000}';
const DRAIN = encode(DRAIN_CHAR, PLAIN);

/** The text of `tokens`, decoded on its own (bytes of a cut character become U+FFFD, never another text's). */
export function decodeTokens(tokens: readonly number[]): string {
  const text = decode([...tokens, ...DRAIN]);
  return text.endsWith(DRAIN_CHAR) ? text.slice(0, -DRAIN_CHAR.length) : text;
}

/**
 * Cuts `text` into consecutive pieces of at most `maxTokens` tokens each, preferring to end a piece at
 * whitespace so words stay whole, and never inside a character (cl100k tokens are bytes: an emoji or a CJK
 * character can span several). Every piece is non-empty and trimmed; together they hold all the words.
 */
export function splitByTokens(text: string, maxTokens: number): string[] {
  const tokens = encodeTokens(text);
  const pieces: string[] = [];
  let start = 0;
  // Where tokens[start] begins in `text`: a piece that is not the text found there ends inside a character.
  let at = 0;
  while (start < tokens.length) {
    let end = Math.min(start + maxTokens, tokens.length);
    if (end < tokens.length) end = wordBoundaryBefore(tokens, start, end);
    let piece = decodeTokens(tokens.slice(start, end));
    // A piece must be the text found at `at` (not ending inside a character: a UTF-8 character is at most 4
    // byte tokens) and, cut loose and trimmed, still within the bound: tokens depend on their neighbours, so
    // an emoji sequence after a space can encode to more tokens alone than in the slice it came from.
    const fits = (p: string) => text.startsWith(p, at) && countTokens(p.trim()) <= maxTokens;
    for (let back = end - 1; back > start && !fits(piece); back--) {
      const shorter = decodeTokens(tokens.slice(start, back));
      if (text.startsWith(shorter, at)) {
        end = back;
        piece = shorter;
      }
    }
    if (piece.trim()) pieces.push(piece.trim());
    at += piece.length;
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
