import { countTokens, splitByTokens, tailByTokens } from './tokens.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The sentences of a paragraph, trimmed, none empty. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) {
    const t = s.segment.trim();
    if (t) out.push(t);
  }
  return out;
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
