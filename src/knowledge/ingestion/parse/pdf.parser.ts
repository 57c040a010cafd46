import { PDFParse } from 'pdf-parse';
import { checkChars, type ExtractLimits, NO_LIMITS } from '../extract-limits.js';
import { IngestError } from '../ingest-error.js';
import { dehyphenate, dropRepeatedPageLines, normalizeLine } from '../normalize.js';
import type { Block, ParsedDocument } from './document.js';
import { outlineKey, pdfHeadingLevel } from './pdf-headings.js';
import { chooseTitle, titleFromBlocks } from './title.js';

// Pages are read this many at a time, so a document over the text limit stops early.
const PAGES_PER_READ = 20;

/**
 * Reads a PDF's text page by page into headings and paragraphs that carry their page numbers. A PDF with more
 * pages than `limits.maxPages` is refused before any text is read, and one with more text than the limits
 * allow as soon as its pages so far hold too much.
 */
export async function parsePdf(
  bytes: Buffer,
  fileName: string,
  limits: ExtractLimits = NO_LIMITS,
): Promise<ParsedDocument> {
  // pdf.js takes ownership of (and may detach) the array it is given: hand it a copy, not the caller's buffer.
  const parser = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const info = await parser.getInfo();
    const pageCount = info.total;
    if (pageCount === 0) throw new IngestError('empty_document', 'This PDF has no pages.');
    if (pageCount > limits.maxPages) {
      throw new IngestError(
        'too_many_pages',
        `This PDF has ${pageCount} pages; Lore reads at most ${limits.maxPages} pages per document. Split it into smaller files and upload those.`,
      );
    }
    const read: { num: number; text: string }[] = [];
    let chars = 0;
    for (let first = 1; first <= pageCount; first += PAGES_PER_READ) {
      const last = Math.min(pageCount, first + PAGES_PER_READ - 1);
      const text = await parser.getText({ pageJoiner: '', first, last });
      for (const page of text.pages) {
        read.push(page);
        chars += page.text.length;
      }
      checkChars(chars, limits);
    }
    const pages = dropRepeatedPageLines(
      read.map((p) => p.text.split('\n').map(normalizeLine).filter(Boolean)),
    );
    const outline = outlineLevels(info.outline);
    const blocks: Block[] = [];
    pages.forEach((lines, i) => {
      blocks.push(...pageBlocks(lines, read[i]?.num ?? i + 1, outline, pages[i + 1]?.[0]));
    });
    if (!blocks.some((b) => /[\p{L}\p{N}]/u.test(b.text))) {
      throw new IngestError(
        'no_text_layer',
        'This PDF looks like a scan: it has no text to read. Run OCR on it and upload again.',
      );
    }
    const title = chooseTitle(fileName, info.info?.Title, titleFromBlocks(blocks));
    return { title, pageCount, blocks };
  } catch (err) {
    throw asIngestError(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** Splits one page's lines into headings and paragraphs. */
function pageBlocks(
  lines: string[],
  page: number,
  outline: Map<string, number> | undefined,
  nextPageFirstLine: string | undefined,
): Block[] {
  const blocks: Block[] = [];
  const widest = Math.max(...lines.map((l) => l.length), 1);
  let para: string[] = [];
  const flush = () => {
    if (para.length)
      blocks.push({ kind: 'text', text: dehyphenate(para.join('\n')).replace(/\n/g, ' '), page });
    para = [];
  };
  lines.forEach((line, i) => {
    const next = i + 1 < lines.length ? lines[i + 1] : nextPageFirstLine;
    const level = pdfHeadingLevel(line, { prev: lines[i - 1], next, outline, paraOpen: para.length > 0 });
    if (level !== undefined) {
      flush();
      blocks.push({ kind: 'heading', level, text: line, page });
      return;
    }
    if (/^(?:[•●▪◦‣∙·*–-]|\d{1,2}[.)])\s/.test(line)) flush();
    para.push(line);
    // A short line ending a sentence ends its paragraph; a full-width one is just wrapped text.
    if (/[.!?:;"”)]$/.test(line) && line.length < widest * 0.8) flush();
  });
  flush();
  return blocks;
}

/** Outline (bookmark) titles with their depth, when the PDF has a usable outline. */
function outlineLevels(outline: unknown): Map<string, number> | undefined {
  if (!Array.isArray(outline) || outline.length === 0) return undefined;
  const levels = new Map<string, number>();
  const visit = (items: unknown[], depth: number) => {
    for (const item of items as Array<{ title?: unknown; items?: unknown[] }>) {
      if (typeof item?.title === 'string') levels.set(outlineKey(item.title), Math.min(depth, 6));
      if (Array.isArray(item?.items)) visit(item.items, depth + 1);
    }
  };
  visit(outline, 1);
  return levels.size > 0 ? levels : undefined;
}

function asIngestError(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') {
    return new IngestError(
      'encrypted_pdf',
      'This PDF is password-protected. Remove the password (or print it to a new PDF) and upload again.',
      err,
    );
  }
  return new IngestError(
    'corrupt_file',
    'This PDF is damaged or not a valid PDF, so it cannot be read.',
    err,
  );
}
