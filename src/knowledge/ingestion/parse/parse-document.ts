import { checkChars, type ExtractLimits, NO_LIMITS } from '../extract-limits.js';
import { IngestError } from '../ingest-error.js';
import { DOCX_TYPE, type MediaType } from '../media-type.js';
import { hasReadableText, normalizeDocument } from '../normalize.js';
import type { ParsedDocument } from './document.js';
import { parseDocx } from './docx.parser.js';
import { parseHtml } from './html.parser.js';
import { parseMarkdown } from './markdown.parser.js';
import { parsePdf } from './pdf.parser.js';
import { parseText } from './text.parser.js';

export type { Block, ParsedDocument } from './document.js';

export interface ParseOptions {
  /** Cap on what a DOCX may decompress to (default 50 MB): past it the file is refused as a zip bomb. */
  maxUncompressedBytes?: number;
  /** Pages and text allowed (default: none); text past them is refused while reading, not after. */
  limits?: ExtractLimits;
}

const TEXT_TYPES: readonly MediaType[] = ['text/html', 'text/markdown', 'text/plain'];

/**
 * Parses a document of a detected type into its title and normalised blocks. Throws IngestError with a
 * message for the uploader: 'empty_document' when no text is left, and the format's own failures.
 */
export async function parseDocument(
  bytes: Buffer,
  mediaType: MediaType,
  fileName: string,
  opts: ParseOptions = {},
): Promise<ParsedDocument> {
  const limits = opts.limits ?? NO_LIMITS;
  // A UTF-8 character takes at most 4 bytes: a text file this large is over the limit before it is decoded.
  if (TEXT_TYPES.includes(mediaType)) checkChars(Math.floor(bytes.length / 4), limits);
  const raw = await parseByType(bytes, mediaType, fileName, opts, limits);
  checkChars(
    raw.blocks.reduce((n, b) => n + b.text.length, 0),
    limits,
  );
  const parsed = normalizeDocument(raw);
  if (!hasReadableText(parsed)) {
    throw new IngestError(
      'empty_document',
      'This document has no text to index: it is empty once formatting is removed.',
    );
  }
  return parsed;
}

function parseByType(
  bytes: Buffer,
  mediaType: MediaType,
  fileName: string,
  opts: ParseOptions,
  limits: ExtractLimits,
): Promise<ParsedDocument> {
  switch (mediaType) {
    case 'application/pdf':
      return parsePdf(bytes, fileName, limits);
    case DOCX_TYPE:
      return parseDocx(bytes, fileName, opts.maxUncompressedBytes);
    case 'text/html':
      return parseHtml(bytes, fileName);
    case 'text/markdown':
      return parseMarkdown(bytes, fileName);
    case 'text/plain':
      return parseText(bytes, fileName);
    default:
      throw new IngestError('unsupported_type', 'Lore cannot read this type of file.');
  }
}
