import { describe, expect, it } from 'vitest';
import { DOCX_TYPE } from '../../../src/knowledge/ingestion/media-type.js';
import { parseDocument } from '../../../src/knowledge/ingestion/parse/parse-document.js';
import { buildDocxWithText, buildPdf } from '../../support/document-fixtures.js';

/** Everything a reader (or a quoted answer) would see of a parsed document. */
const visible = (doc: { title: string; blocks: { text: string }[] }) =>
  [doc.title, ...doc.blocks.map((b) => b.text)].join('\n');

// What each document says once decoded: the same in every format.
const HEADING = 'Mastery & Titles';
const BODY = 'Salary bands < 5 apply to R&D, with no exceptions.';

function expectClean(text: string) {
  expect(text).toContain(HEADING);
  expect(text).toContain(BODY);
  expect(text).not.toMatch(/&(?:amp|nbsp|lt|gt|#\d+|#x[\da-f]+);/i);
  expect(text).not.toContain('\u00a0');
}

describe('character references and markup are decoded at ingestion, in every format', () => {
  it('Markdown: entities in headings and text, inline HTML and emphasis', async () => {
    const md =
      '# Mastery &amp; Titles\n\nSalary bands &lt; 5 apply to <b>R&amp;D</b>,&nbsp;with **no** exceptions.\n';
    const doc = await parseDocument(Buffer.from(md), 'text/markdown', 'titles.md');
    expectClean(visible(doc));
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: HEADING });
  });

  it('HTML: entities and tags, including ones escaped twice by a CMS', async () => {
    const html = `<html><head><title>Mastery &amp; Titles</title></head><body><article><h1>Mastery &amp;amp; Titles</h1>
      <p>Salary bands &lt; 5 apply to <em>R&amp;D</em>,&nbsp;with no exceptions.</p></article></body></html>`;
    expectClean(visible(await parseDocument(Buffer.from(html), 'text/html', 'titles.html')));
  });

  it('DOCX: entities typed or pasted into the text of a Word document', async () => {
    const bytes = await buildDocxWithText('Mastery &amp; Titles', [
      'Salary bands &lt; 5 apply to R&amp;D,&nbsp;with no exceptions.',
    ]);
    expectClean(visible(await parseDocument(bytes, DOCX_TYPE, 'titles.docx')));
  });

  it('plain text and PDF: leaked entities decoded, a bare "&" left as written', async () => {
    const text =
      'Mastery &amp; Titles\n\nSalary bands &lt; 5 apply to R&amp;D,&nbsp;with no exceptions. AT&T too.';
    const fromText = visible(await parseDocument(Buffer.from(text), 'text/plain', 'titles.txt'));
    expectClean(fromText);
    expect(fromText).toContain('AT&T too.');
    const pdf = await buildPdf([
      {
        heading: 'Mastery &amp; Titles',
        paragraphs: ['Salary bands &lt; 5 apply to R&amp;D, with no exceptions.'],
      },
    ]);
    expectClean(visible(await parseDocument(pdf, 'application/pdf', 'titles.pdf')));
  });
});
