import { countTokens, splitByTokens, tailByTokens } from './tokens.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** A table row as the parsers write one: Markdown's "| a | b |", or an HTML or DOCX row's "a | b". */
export const isTableRow = (line: string) => line.startsWith('|') || line.includes(' | ');
/** A list item's marker as the parsers write one ("- ", "* ", "1. ", "•"). */
export const LIST_MARKER = /^(?:[-*+•]|\d{1,9}[.)])\s+/;
export const isListItem = (line: string) => LIST_MARKER.test(line);

// ICU's sentence iterator slows down quadratically with the length of the string it walks (a 560 KB paragraph
// took 19 s), so long text is segmented in windows of about this many characters, cut where a sentence ends.
const WINDOW_CHARS = 4_000;

/** The sentences of a paragraph, trimmed, none empty. Linear in the length of `text`. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; ) {
    const end = windowEnd(text, start);
    for (const s of segmenter.segment(text.slice(start, end))) {
      const t = s.segment.trim();
      if (t) out.push(t);
    }
    start = end;
  }
  return out;
}

/**
 * Where the window starting at `start` ends: the whole rest when short, else just after the last sentence end
 * (`.`, `!`, `?` or a line break, then white space) in its second half, else after its last space, else at the
 * window's length. The segmenter breaks at such points too, so windows rarely change the result.
 */
function windowEnd(text: string, start: number): number {
  const limit = start + WINDOW_CHARS;
  if (limit >= text.length) return text.length;
  const floor = start + WINDOW_CHARS / 2;
  let space = -1;
  for (let i = limit; i > floor; i--) {
    if (!/\s/.test(text[i] ?? '')) continue;
    if (/[.!?\n]/.test(text[i - 1] ?? '') || text[i] === '\n') return i + 1;
    if (space < 0) space = i + 1;
  }
  return space > 0 ? space : limit;
}

/**
 * Cuts a paragraph into pieces of at most `maxTokens` tokens at sentence boundaries, packing up to
 * `perPiece` sentences into each (Infinity: as many as fit); a sentence longer than the limit is cut
 * between words.
 */
export function splitLongText(
  text: string,
  maxTokens: number,
  perPiece = Number.POSITIVE_INFINITY,
): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  let currentTokens = 0;
  const close = () => {
    if (current.length) pieces.push(current.join(' '));
    current = [];
    currentTokens = 0;
  };
  for (const sentence of splitSentences(text)) {
    const tokens = countTokens(sentence);
    if (tokens > maxTokens) {
      close();
      pieces.push(...splitByTokens(sentence, maxTokens));
      continue;
    }
    // +1 per join: a sentence after a space may tokenise one longer than on its own.
    if (current.length && (current.length >= perPiece || currentTokens + tokens + 1 > maxTokens)) close();
    current.push(sentence);
    currentTokens += tokens + (current.length > 1 ? 1 : 0);
  }
  close();
  return pieces;
}

/** The last whole sentences of `text` within `maxTokens` tokens; the last words when one sentence is longer. */
export function tailSentences(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const sentences = splitSentences(text);
  const kept: string[] = [];
  let used = 0;
  for (let i = sentences.length - 1; i >= 0; i--) {
    const tokens = countTokens(sentences[i] ?? '') + (kept.length ? 1 : 0);
    if (used + tokens > maxTokens) break;
    kept.unshift(sentences[i] ?? '');
    used += tokens;
  }
  if (kept.length) return kept.join(' ');
  return tailByTokens(sentences.at(-1) ?? text, maxTokens);
}
