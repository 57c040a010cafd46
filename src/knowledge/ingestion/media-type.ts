import path from 'node:path';
import { IngestError } from './ingest-error.js';
import { decodeText } from './text-decode.js';

/** The document kinds Lore can read. */
export type MediaType =
  | 'application/pdf'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'text/markdown'
  | 'text/html'
  | 'text/plain';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PDF_MAGIC = Buffer.from('%PDF-');

/** Binary formats we recognise only to refuse them with a message that names what they are. */
const KNOWN_BINARIES: Array<{ magic: Buffer; what: string }> = [
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47]), what: 'a PNG image' },
  { magic: Buffer.from([0xff, 0xd8, 0xff]), what: 'a JPEG image' },
  { magic: Buffer.from('GIF8'), what: 'a GIF image' },
  { magic: Buffer.from([0x1f, 0x8b]), what: 'a gzip archive' },
  { magic: Buffer.from('Rar!'), what: 'a RAR archive' },
  { magic: Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), what: 'a 7-Zip archive' },
];

const MARKDOWN_EXT = new Set(['.md', '.markdown', '.mdown', '.mkd', '.mdx']);
const HTML_EXT = new Set(['.html', '.htm', '.xhtml']);

// WHATWG MIME sniffing's HTML patterns: a document that opens with one of these tags is HTML.
const HTML_START =
  /^\s*(?:<!doctype\s+html|<html|<head|<body|<script|<iframe|<h1|<div|<font|<table|<a|<style|<title|<b|<br|<p|<!--)[\s>]/i;
const MARKDOWN_HINT = /^(?: {0,3}#{1,6} \S|.+\n {0,3}(?:=+|-+) *$| {0,3}```|---\n[\s\S]*?\n---$)/m;

/**
 * Detects the type from the bytes (magic numbers, zip content, text sniffing), using the file name only
 * to choose between text kinds or when bytes are ambiguous. Throws IngestError: 'unsupported_type' for
 * anything else, 'corrupt_file' for a truncated Word zip, 'empty_document' for zero bytes.
 */
export function detectMediaType(bytes: Buffer, fileName: string): MediaType {
  const ext = path.extname(fileName).toLowerCase();
  if (bytes.length === 0) {
    throw new IngestError('empty_document', 'The file is empty: there is nothing to read.');
  }
  // PDF readers accept the header anywhere in the first kilobyte, so a few junk bytes still make a PDF;
  // but a text file that merely mentions "%PDF-" near its start is text.
  const pdfAt = bytes.subarray(0, 1024).indexOf(PDF_MAGIC);
  if (pdfAt === 0 || (pdfAt > 0 && decodeText(bytes) === undefined)) return 'application/pdf';
  if (startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, EMPTY_ZIP_MAGIC)) return detectZip(bytes, ext);
  if (startsWith(bytes, OLE_MAGIC)) {
    throw unsupported(
      'This is an old-format (.doc) or password-protected Office file. Save it as an unprotected .docx and upload again.',
    );
  }
  const binary = KNOWN_BINARIES.find((b) => startsWith(bytes, b.magic));
  if (binary) throw unsupported(`This file is ${binary.what}, not a document Lore can read.`);

  const text = decodeText(bytes);
  if (text === undefined) {
    throw unsupported(
      `This file is not a readable document${ext ? ` (it is named ${ext} but its content is not ${describeExt(ext)})` : ''}. Lore reads PDF, Word (.docx), Markdown, HTML and UTF-8 text.`,
    );
  }
  const head = text.slice(0, 4096);
  if (/^\s*\{\\rtf/.test(head)) {
    throw unsupported('This is an RTF file. Save it as .docx, PDF or text and upload again.');
  }
  if (/^\s*<(?:\?xml|svg)[\s>]/i.test(head) && !/<html[\s>]/i.test(head)) {
    throw unsupported('This is an XML or SVG file, not a document Lore can read.');
  }
  if (MARKDOWN_EXT.has(ext)) return 'text/markdown';
  if (HTML_EXT.has(ext) || HTML_START.test(head)) return 'text/html';
  if (ext === '.txt' || ext === '.text') return 'text/plain';
  return MARKDOWN_HINT.test(head) ? 'text/markdown' : 'text/plain';
}

/** A zip is a Word document only when it holds word/document.xml; other Office files and archives are refused. */
function detectZip(bytes: Buffer, ext: string): MediaType {
  // Entry names are stored uncompressed in every local and central header, so a byte search finds them.
  if (bytes.includes('word/document.xml')) {
    if (!hasEndOfCentralDirectory(bytes)) throw damagedDocx();
    return DOCX_TYPE;
  }
  if (bytes.includes('xl/workbook.xml'))
    throw unsupported('This is an Excel workbook; Lore reads Word (.docx) files.');
  if (bytes.includes('ppt/presentation.xml')) {
    throw unsupported('This is a PowerPoint file; Lore reads Word (.docx) files.');
  }
  if (ext === '.docx' && !hasEndOfCentralDirectory(bytes)) throw damagedDocx();
  throw unsupported(
    ext === '.docx'
      ? 'This file is named .docx but is not a Word document.'
      : 'This is a zip archive; upload the documents inside it one by one.',
  );
}

/** A complete zip ends with an end-of-central-directory record (within the last 64 KB, after a comment). */
function hasEndOfCentralDirectory(bytes: Buffer): boolean {
  return bytes.subarray(Math.max(0, bytes.length - 65_557)).includes(EMPTY_ZIP_MAGIC);
}

function damagedDocx(): IngestError {
  return new IngestError('corrupt_file', 'This Word file is damaged or incomplete and cannot be opened.');
}

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
}

function describeExt(ext: string): string {
  if (ext === '.pdf') return 'a PDF';
  if (ext === '.docx') return 'a Word document';
  return 'text';
}

function unsupported(message: string): IngestError {
  return new IngestError('unsupported_type', message);
}
