import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../../src/knowledge/ingestion/ingest-error.js';
import { detectMediaType } from '../../../src/knowledge/ingestion/media-type.js';
import { buildDocx, buildPdf, buildZip } from '../../support/document-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The IngestError `fn` throws (fails the test when it throws nothing or something else). */
function ingestErrorOf(fn: () => unknown): IngestError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return err as IngestError;
  }
  throw new Error('expected an IngestError');
}

describe('detectMediaType: by content, not by name', () => {
  it('recognises each supported format from its bytes and usual name', async () => {
    expect(detectMediaType(await buildPdf([{ paragraphs: ['Hello.'] }]), 'a.pdf')).toBe('application/pdf');
    expect(detectMediaType(await buildDocx(), 'a.docx')).toBe(DOCX);
    expect(detectMediaType(Buffer.from('# Title\n\nBody'), 'notes.md')).toBe('text/markdown');
    expect(detectMediaType(Buffer.from('<!doctype html><html><body><p>x</p></body></html>'), 'a.html')).toBe(
      'text/html',
    );
    expect(detectMediaType(Buffer.from('Plain words.\nMore words.'), 'a.txt')).toBe('text/plain');
  });

  it('a PDF named .txt is a PDF; a PDF named .docx is a PDF', async () => {
    const pdf = await buildPdf([{ paragraphs: ['Quarterly report.'] }]);
    expect(detectMediaType(pdf, 'report.txt')).toBe('application/pdf');
    expect(detectMediaType(pdf, 'report.docx')).toBe('application/pdf');
  });

  it('a PDF behind a few junk bytes is a PDF; text that mentions %PDF- is text', async () => {
    const pdf = await buildPdf([{ paragraphs: ['Hello.'] }]);
    expect(detectMediaType(Buffer.concat([Buffer.from([0, 0, 0x0a]), pdf]), 'a.bin')).toBe('application/pdf');
    expect(detectMediaType(Buffer.from('PDF files start with %PDF-1.7 and a version.'), 'notes.txt')).toBe(
      'text/plain',
    );
  });

  it('HTML named .pdf is HTML', () => {
    const html = Buffer.from(
      '\n  <!DOCTYPE html>\n<html><head><title>T</title></head><body>Hi</body></html>',
    );
    expect(detectMediaType(html, 'saved-page.pdf')).toBe('text/html');
  });

  it('a DOCX named .pdf or with no extension is still a DOCX', async () => {
    const docx = await buildDocx();
    expect(detectMediaType(docx, 'guide.pdf')).toBe(DOCX);
    expect(detectMediaType(docx, 'guide')).toBe(DOCX);
  });

  it('random bytes named .docx are refused as unsupported_type, saying the content is not a Word document', () => {
    const err = ingestErrorOf(() => detectMediaType(randomBytes(4096), 'contract.docx'));
    expect(err.reason).toBe('unsupported_type');
    expect(err.code).toBe('ingest_failed');
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/named \.docx but its content is not a Word document/);
  });

  it('binary junk named .txt is refused as unsupported_type', () => {
    const junk = Buffer.concat([Buffer.from('hello'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0, 7])]);
    expect(ingestErrorOf(() => detectMediaType(junk, 'notes.txt')).reason).toBe('unsupported_type');
  });

  it('a zip that is not a Word document is refused, even when named .docx', () => {
    const zip = buildZip([{ name: 'photos/readme.txt', data: Buffer.from('not word') }]);
    const err = ingestErrorOf(() => detectMediaType(zip, 'fake.docx'));
    expect(err.reason).toBe('unsupported_type');
    expect(err.message).toMatch(/not a Word document/);
    expect(ingestErrorOf(() => detectMediaType(zip, 'bundle.zip')).message).toMatch(/zip archive/);
  });

  it('a truncated DOCX is a corrupt_file, not an unknown type', async () => {
    const docx = await buildDocx();
    const err = ingestErrorOf(() => detectMediaType(docx.subarray(0, Math.floor(docx.length / 2)), 'a.docx'));
    expect(err.reason).toBe('corrupt_file');
  });

  it('images and legacy .doc files are refused with a message naming what they are', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(ingestErrorOf(() => detectMediaType(png, 'scan.pdf')).message).toMatch(/PNG image/);
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(ingestErrorOf(() => detectMediaType(ole, 'old.doc')).message).toMatch(/\.docx/);
  });

  it('text formats that are not documents (RTF, SVG, XML) are refused; XHTML is HTML', () => {
    expect(
      ingestErrorOf(() => detectMediaType(Buffer.from('{\\rtf1\\ansi Hello}'), 'a.txt')).message,
    ).toMatch(/RTF/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><text>Hi</text></svg>');
    expect(ingestErrorOf(() => detectMediaType(svg, 'logo.svg')).reason).toBe('unsupported_type');
    const xhtml = Buffer.from(
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi</p></body></html>',
    );
    expect(detectMediaType(xhtml, 'page.xhtml')).toBe('text/html');
  });

  it('an empty file is an empty_document', () => {
    expect(ingestErrorOf(() => detectMediaType(Buffer.alloc(0), 'a.txt')).reason).toBe('empty_document');
  });

  it('uses the name only to choose between text kinds', () => {
    const text = Buffer.from('# Heading\n\nSome text.');
    expect(detectMediaType(text, 'readme.md')).toBe('text/markdown');
    expect(detectMediaType(text, 'readme.txt')).toBe('text/plain');
    expect(detectMediaType(text, 'README')).toBe('text/markdown');
    // A Markdown file may open with an HTML tag and is still Markdown.
    expect(detectMediaType(Buffer.from('<p align="center">Logo</p>\n\n# Project'), 'README.md')).toBe(
      'text/markdown',
    );
  });

  it('accepts UTF-8 with a BOM and UTF-16 text with a BOM', () => {
    expect(detectMediaType(Buffer.from('\ufeffHello wörld', 'utf8'), 'a.txt')).toBe('text/plain');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Hello there', 'utf16le')]);
    expect(detectMediaType(utf16, 'a.txt')).toBe('text/plain');
  });
});
