import { normalizeLine } from '../normalize.js';

interface LineContext {
  prev: string | undefined;
  next: string | undefined;
  /** The bookmarks of the PDF, when it has them: then only bookmarked lines are headings. */
  outline: Map<string, number> | undefined;
  /** A paragraph is being collected, so this line may be its continuation. */
  paraOpen: boolean;
}

const NUMBERED = /^((?:\d{1,2}\.)*\d{1,2})\.?\s+\p{Lu}/u;

/**
 * The heading level of a PDF line, or undefined for body text. PDFs carry no structure in their text, so
 * this is a heuristic: bookmarks when present, else a short line that does not end like a sentence, starts
 * like a title, follows the end of a paragraph and is followed by more text. Numbering ("2.1") sets depth.
 */
export function pdfHeadingLevel(line: string, ctx: LineContext): number | undefined {
  if (ctx.outline) return ctx.outline.get(outlineKey(line));
  if (ctx.next === undefined) return undefined;
  if (line.length < 3 || line.length > 80 || line.split(' ').length > 12) return undefined;
  if (/[.,;:!?-]$/.test(line) || !/^[\p{Lu}\d]/u.test(line) || !/\p{L}{2}/u.test(line)) return undefined;
  // A heading is followed by a new sentence; a lowercase start means the line was wrapped mid-sentence.
  if (/^\p{Ll}/u.test(ctx.next)) return undefined;
  // A line continuing an open paragraph is wrapped text unless the paragraph ended with a full stop.
  if (ctx.paraOpen && ctx.prev !== undefined && !/[.!?:]$/.test(ctx.prev)) return undefined;
  const numbered = NUMBERED.exec(line);
  if (numbered?.[1]) return Math.min(numbered[1].split('.').length, 6);
  if (/^\d/.test(line)) return undefined;
  return 1;
}

/** How outline titles and page lines are compared: case, spacing and punctuation ignored. */
export function outlineKey(text: string): string {
  return normalizeLine(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
