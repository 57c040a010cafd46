import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import { IngestError } from '../../../src/knowledge/ingestion/ingest-error.js';
import { detectMediaType } from '../../../src/knowledge/ingestion/media-type.js';
import { parseDocument } from '../../../src/knowledge/ingestion/parse/parse-document.js';
import { buildDocx, buildZip, buildZipBombDocx } from '../../support/document-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MB = 1024 * 1024;

async function parseError(bytes: Buffer, opts?: { maxUncompressedBytes?: number }): Promise<IngestError> {
  const err = await parseDocument(bytes, DOCX, 'doc.docx', opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(IngestError);
  return err as IngestError;
}

describe('parseDocument: DOCX', () => {
  it('reads headings, paragraphs, lists and tables', async () => {
    const doc = await parseDocument(await buildDocx(), DOCX, 'onboarding.docx');
    expect(doc.title).toBe('Onboarding Guide');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'First week' },
      { kind: 'text', text: 'Welcome to the team. Read this page first.' },
      { kind: 'heading', level: 2, text: 'Laptop setup' },
      { kind: 'text', text: '- Install the VPN client\n- Enable disk encryption' },
      { kind: 'text', text: 'Tool | Owner\nSlack | IT desk' },
      { kind: 'heading', level: 1, text: 'Benefits' },
      { kind: 'text', text: 'Health insurance starts on the first day of the month after you join.' },
    ]);
  });

  it('prefers the title in the document properties', async () => {
    const doc = await parseDocument(await buildDocx({ coreTitle: 'New Hire Guide' }), DOCX, 'a.docx');
    expect(doc.title).toBe('New Hire Guide');
  });

  it('chunks keep each top-level section apart, subsections under their parent', async () => {
    const chunks = chunkDocument(await parseDocument(await buildDocx(), DOCX, 'onboarding.docx'));
    expect(chunks.map((c) => c.section)).toEqual(['First week', 'Benefits']);
    expect(chunks[0]?.content).toContain('Laptop setup\n\n- Install the VPN client');
    expect(chunks[1]?.content).toBe(
      'Benefits\n\nHealth insurance starts on the first day of the month after you join.',
    );
  });

  it('a zip bomb DOCX fails with zip_bomb before it is inflated', async () => {
    const bomb = await buildZipBombDocx(64 * MB);
    expect(bomb.length).toBeLessThan(MB);
    expect(detectMediaType(bomb, 'bomb.docx')).toBe(DOCX);
    const err = await parseError(bomb);
    expect(err.reason).toBe('zip_bomb');
    expect(err.message).toMatch(/zip bomb/);
  });

  it('counts the bytes really inflated, not the sizes the zip declares', async () => {
    // Incompressible content declared as 1 KB: no ratio alarm, so only counting real bytes finds the 6 MB.
    const liar = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'word/document.xml', data: randomBytes(6 * MB), declaredSize: 1024 },
    ]);
    const err = await parseError(liar, { maxUncompressedBytes: 4 * MB });
    expect(err.reason).toBe('zip_bomb');
    expect(err.message).toMatch(/more than 4 MB/);
  });

  it('a DOCX over the uncompressed cap fails with zip_bomb even at an ordinary compression ratio', async () => {
    const docx = await buildDocx();
    const err = await parseError(docx, { maxUncompressedBytes: 2048 });
    expect(err.reason).toBe('zip_bomb');
    expect(err.message).toMatch(/more than/);
  });

  it('a truncated or damaged DOCX fails with corrupt_file', async () => {
    const docx = await buildDocx();
    expect((await parseError(docx.subarray(0, Math.floor(docx.length * 0.6)))).reason).toBe('corrupt_file');
    const damaged = Buffer.from(docx);
    damaged.fill(0x41, 200, 2200);
    expect((await parseError(damaged)).reason).toBe('corrupt_file');
  });

  it('a zip without a Word document part fails with unsupported_type', async () => {
    const zip = buildZip([{ name: 'notes.txt', data: Buffer.from('hello') }]);
    expect((await parseError(zip)).reason).toBe('unsupported_type');
  });

  it('a DOCX whose document has no text fails with empty_document', async () => {
    const empty = buildZip([
      {
        name: '[Content_Types].xml',
        data: Buffer.from(
          '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        ),
      },
      {
        name: '_rels/.rels',
        data: Buffer.from(
          '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        ),
      },
      {
        name: 'word/document.xml',
        data: Buffer.from(
          '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>',
        ),
      },
    ]);
    const err = await parseError(empty);
    expect(err.reason).toBe('empty_document');
  });
});
