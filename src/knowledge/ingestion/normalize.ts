import { decodeHTMLStrict } from 'entities/decode';
import type { Block, ParsedDocument } from './parse/document.js';

// C0/C1 controls except tab and newline; zero-width characters and the soft hyphen carry no text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
// Every Unicode space separator except the plain space, plus tab.
const ODD_SPACE = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;

/**
 * Normalises a block of text: Unicode NFC, line breaks unified, control and invisible characters removed,
 * runs of spaces collapsed (leading indentation of inner lines kept, for code), at most one blank line.
 */
export function normalizeText(text: string): string {
  const lines = text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(ODD_SPACE, ' ')
    .split('\n')
    .map((line) => line.replace(/(\S) {2,}/g, '$1 ').trimEnd());
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Normalises a heading or title to one line. */
export function normalizeLine(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ');
}

/** Joins words a PDF broke across lines with a hyphen ("docu-\nment" → "document"). */
export function dehyphenate(text: string): string {
  return text.replace(/(\p{Ll})-\n(\p{Ll})/gu, '$1$2');
}

/**
 * Decodes HTML character references left in text ("Mastery &amp; Titles", "&nbsp;", "&lt;", "&#8217;"):
 * Markdown allows them, exports and copy-paste leak them into DOCX, text and PDF, and a reader (or a quoted
 * answer) must never see them. Strict mode: only references closed by ";" ("AT&T" and "&copy" stay as
 * written). `entities` is the decoder linkedom's own parser uses.
 */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

/**
 * Normalises every block and the title (character references decoded first, so a decoded no-break space is
 * normalised too), dropping blocks left empty. Applied once per parse: a second pass would decode a
 * literally written "&amp;lt;" once more.
 */
export function normalizeDocument(doc: ParsedDocument): ParsedDocument {
  const blocks: Block[] = [];
  for (const block of doc.blocks) {
    const decoded = decodeEntities(block.text);
    const text = block.kind === 'heading' ? normalizeLine(decoded) : normalizeText(decoded);
    if (text) blocks.push({ ...block, text });
  }
  const out: ParsedDocument = { title: normalizeLine(decodeEntities(doc.title)).slice(0, 300), blocks };
  if (doc.pageCount !== undefined) out.pageCount = doc.pageCount;
  return out;
}

/** True when the document has something to read: a letter or digit in any block. */
export function hasReadableText(doc: ParsedDocument): boolean {
  return doc.blocks.some((b) => /[\p{L}\p{N}]/u.test(b.text));
}

/**
 * Removes running headers and footers: a first or last line of a page that, with digits ignored (page
 * numbers), repeats on at least half of the pages (and on three or more). Shorter documents are left alone.
 */
export function dropRepeatedPageLines(pages: string[][]): string[][] {
  if (pages.length < 3) return pages;
  const signature = (line: string) => line.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const edges = new Set(edgeLines(lines).map(signature));
    for (const sig of edges) counts.set(sig, (counts.get(sig) ?? 0) + 1);
  }
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  const repeated = new Set([...counts].filter(([sig, n]) => sig && n >= threshold).map(([sig]) => sig));
  if (repeated.size === 0) return pages;
  return pages.map((lines) => {
    const kept = [...lines];
    // Headers and footers sit at the edges: peel up to two lines from each end while they repeat.
    for (let i = 0; i < 2 && kept.length > 0 && repeated.has(signature(kept[0] ?? '')); i++) kept.shift();
    for (let i = 0; i < 2 && kept.length > 0 && repeated.has(signature(kept.at(-1) ?? '')); i++) kept.pop();
    return kept;
  });
}

function edgeLines(lines: string[]): string[] {
  const nonEmpty = lines.filter((l) => l.trim());
  return [...nonEmpty.slice(0, 2), ...nonEmpty.slice(-2)];
}
