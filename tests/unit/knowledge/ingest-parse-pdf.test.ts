import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import { IngestError } from '../../../src/knowledge/ingestion/ingest-error.js';
import { parseDocument } from '../../../src/knowledge/ingestion/parse/parse-document.js';
import { buildPdf, buildScannedLikePdf } from '../../support/document-fixtures.js';

const PDF = 'application/pdf';
const VACATION =
  'Employees accrue two vacation days every month. Unused days carry over to the next year, up to five days.';
const SICK =
  'Report sick leave to your manager before ten in the morning. A doctor note is needed after three days.';
const EXPENSES =
  'Submit expense claims within thirty days. Receipts are required for every item above ten euros.';

async function parseError(bytes: Buffer, fileName = 'doc.pdf'): Promise<IngestError> {
  const err = await parseDocument(bytes, PDF, fileName).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IngestError);
  return err as IngestError;
}

describe('parseDocument: PDF', () => {
  it('reads headings and paragraphs page by page, with page numbers and the page count', async () => {
    const pdf = await buildPdf(
      [
        { heading: 'Vacation', paragraphs: [VACATION] },
        { heading: 'Sick leave', paragraphs: [SICK] },
        { heading: 'Expenses', paragraphs: [EXPENSES] },
      ],
      { title: 'People Handbook' },
    );
    const doc = await parseDocument(pdf, PDF, 'handbook.pdf');
    expect(doc.title).toBe('People Handbook');
    expect(doc.pageCount).toBe(3);
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Vacation', page: 1 },
      { kind: 'text', text: VACATION, page: 1 },
      { kind: 'heading', level: 1, text: 'Sick leave', page: 2 },
      { kind: 'text', text: SICK, page: 2 },
      { kind: 'heading', level: 1, text: 'Expenses', page: 3 },
      { kind: 'text', text: EXPENSES, page: 3 },
    ]);
  });

  it('chunks of a PDF carry their section and page range', async () => {
    const pdf = await buildPdf([
      { heading: 'Vacation', paragraphs: [VACATION, VACATION] },
      { heading: 'Sick leave', paragraphs: [SICK] },
    ]);
    const chunks = chunkDocument(await parseDocument(pdf, PDF, 'handbook.pdf'));
    expect(chunks.map((c) => [c.section, c.pageStart, c.pageEnd])).toEqual([
      ['Vacation', 1, 1],
      ['Sick leave', 2, 2],
    ]);
  });

  it('uses bookmarks as headings when the PDF has them, numbering sets the depth otherwise', async () => {
    const withOutline = await buildPdf(
      [
        { heading: 'Travel rules', paragraphs: ['Book trains for trips under four hours.'] },
        { heading: 'Hotels', paragraphs: ['Stay in the partner hotels when there is one.'] },
      ],
      { outline: true },
    );
    const doc = await parseDocument(withOutline, PDF, 'travel.pdf');
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toEqual([
      'Travel rules',
      'Hotels',
    ]);

    const numbered = await buildPdf([
      { heading: '1 Scope', paragraphs: ['This policy covers all staff.'] },
      { heading: '1.1 Exceptions', paragraphs: ['Contractors follow their own contract.'] },
    ]);
    const levels = (await parseDocument(numbered, PDF, 'policy.pdf')).blocks
      .filter((b) => b.kind === 'heading')
      .map((b) => (b.kind === 'heading' ? [b.text, b.level] : []));
    expect(levels).toEqual([
      ['1 Scope', 1],
      ['1.1 Exceptions', 2],
    ]);
  });

  it('drops running headers and page numbers repeated on every page', async () => {
    const pages = [VACATION, SICK, EXPENSES].map((p) => ({
      paragraphs: [p],
      runningHeader: 'ACME Confidential',
    }));
    const doc = await parseDocument(await buildPdf(pages), PDF, 'handbook.pdf');
    const text = doc.blocks.map((b) => b.text).join('\n');
    expect(text).not.toMatch(/ACME Confidential/);
    expect(text).not.toMatch(/Page \d/);
    expect(text).toContain('Submit expense claims within thirty days.');
  });

  it('joins words hyphenated across lines and lines of one paragraph', async () => {
    const pdf = await buildPdf([
      { paragraphs: ['Our remote work policy applies to every depart-\nment and every office.'] },
    ]);
    const doc = await parseDocument(pdf, PDF, 'remote.pdf');
    expect(doc.blocks.map((b) => b.text)).toEqual([
      'Our remote work policy applies to every department and every office.',
    ]);
  });

  it('takes the title from the first heading, then the file name, when the metadata has none', async () => {
    const headed = await buildPdf([{ heading: 'Security Basics', paragraphs: ['Lock your screen.'] }]);
    expect((await parseDocument(headed, PDF, 'x.pdf')).title).toBe('Security Basics');
    const untitled = await buildPdf(
      [{ paragraphs: ['Lock your screen when you leave your desk, every time, please.'] }],
      {
        title: 'Untitled',
      },
    );
    expect((await parseDocument(untitled, PDF, 'uploads/security_basics.pdf')).title).toBe(
      'Lock your screen when you leave your desk, every time, please.',
    );
  });

  it('an encrypted PDF fails with encrypted_pdf and says it is password-protected', async () => {
    const err = await parseError(
      await buildPdf([{ paragraphs: ['Secret salaries.'] }], { userPassword: 'pw' }),
    );
    expect(err.reason).toBe('encrypted_pdf');
    expect(err.message).toMatch(/password-protected/);
  });

  it('a PDF with pages but no text layer fails with no_text_layer and suggests OCR', async () => {
    const err = await parseError(await buildScannedLikePdf(3));
    expect(err.reason).toBe('no_text_layer');
    expect(err.message).toMatch(/looks like a scan.*OCR/);
  });

  it('a damaged PDF fails with corrupt_file', async () => {
    const pdf = await buildPdf([{ paragraphs: ['Hello.'] }]);
    expect((await parseError(pdf.subarray(0, 400))).reason).toBe('corrupt_file');
    expect((await parseError(Buffer.from('%PDF-1.7\nnot really a pdf'))).reason).toBe('corrupt_file');
  });

  it('leaves the caller’s buffer intact (pdf.js must not detach it)', async () => {
    const pdf = await buildPdf([{ paragraphs: ['Hello.'] }]);
    const copy = Buffer.from(pdf);
    await parseDocument(pdf, PDF, 'a.pdf');
    expect(pdf.equals(copy)).toBe(true);
  });
});
