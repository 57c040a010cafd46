import path from 'node:path';
import { normalizeLine } from '../normalize.js';
import type { Block } from './document.js';

// Titles that editors fill in by themselves and say nothing about the document.
const PLACEHOLDER =
  /^(?:untitled(?:\s+document)?|document\s*\d*|doc\d*|new document|title|slide \d+|page \d+|\(anonymous\))$/i;

/** `title` cleaned up when it says something about the document; undefined for blanks and placeholders. */
export function meaningfulTitle(title: unknown): string | undefined {
  if (typeof title !== 'string') return undefined;
  const cleaned = normalizeLine(title.replace(/^microsoft (?:word|powerpoint) - /i, ''));
  if (cleaned.length < 2 || cleaned.length > 200 || !/\p{L}/u.test(cleaned)) return undefined;
  if (PLACEHOLDER.test(cleaned) || /\.(?:docx?|pdf|txt|md|html?|rtf|odt)$/i.test(cleaned)) return undefined;
  return cleaned;
}

/** The file name without its extension (and folders), as the title of last resort. */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName.replace(/\\/g, '/'));
  const stem = base.slice(0, base.length - path.extname(base).length) || base;
  return normalizeLine(stem.replace(/[_]+/g, ' ')) || 'Untitled document';
}

/** The first heading, else the first line of text when it is short enough to be a title. */
export function titleFromBlocks(blocks: Block[]): string | undefined {
  const heading = blocks.find((b) => b.kind === 'heading');
  if (heading) return meaningfulTitle(heading.text);
  const firstLine = blocks[0]?.text.split('\n')[0]?.trim();
  return firstLine && firstLine.length <= 100 ? meaningfulTitle(firstLine) : undefined;
}

/** The first of the candidates that is a meaningful title, else the file name. */
export function chooseTitle(fileName: string, ...candidates: Array<string | undefined>): string {
  for (const c of candidates) {
    const t = meaningfulTitle(c);
    if (t) return t;
  }
  return titleFromFileName(fileName);
}
