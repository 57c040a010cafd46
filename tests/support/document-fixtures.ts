import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import PDFDocument from 'pdfkit';

/** One PDF page: an optional heading (set in a larger font) and paragraphs of body text. */
export interface PdfPage {
  heading?: string;
  paragraphs: string[];
  /** A running header and footer (with the page number), to check they are dropped. */
  runningHeader?: string;
}

/** Builds a text PDF with pdfkit; `userPassword` encrypts it, `outline` adds bookmarks for the headings. */
export function buildPdf(
  pages: PdfPage[],
  opts: { title?: string; userPassword?: string; outline?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    info: opts.title ? { Title: opts.title } : {},
    ...(opts.userPassword ? { userPassword: opts.userPassword, ownerPassword: 'owner-secret' } : {}),
  });
  const done = collect(doc);
  pages.forEach((page, i) => {
    doc.addPage();
    if (page.runningHeader) doc.fontSize(9).text(page.runningHeader).moveDown();
    if (page.heading) {
      doc.fontSize(18).text(page.heading).moveDown(0.5);
      if (opts.outline) doc.outline.addItem(page.heading);
    }
    for (const p of page.paragraphs) doc.fontSize(11).text(p).moveDown(0.6);
    if (page.runningHeader) doc.fontSize(9).text(`Page ${i + 1}`, 72, 700, { lineBreak: false });
  });
  doc.end();
  return done;
}

/** A PDF whose pages hold only vector drawings, like a scan: pages, but no text layer. */
export function buildScannedLikePdf(pageCount = 2): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false });
  const done = collect(doc);
  for (let i = 0; i < pageCount; i++) {
    doc.addPage();
    doc.rect(72, 72, 300, 200).fill('#888888');
    doc.circle(300, 400, 80).stroke();
  }
  doc.end();
  return done;
}

function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const parts: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
}

/** A Word document with a Title paragraph, two heading levels, a bulleted list and a table. */
export function buildDocx(opts: { coreTitle?: string } = {}): Promise<Buffer> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    ...(opts.coreTitle ? { title: opts.coreTitle } : {}),
    sections: [
      {
        children: [
          new Paragraph({ text: 'Onboarding Guide', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: 'First week', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('Welcome to the team. '),
              new TextRun({ text: 'Read this page first.', bold: true }),
            ],
          }),
          new Paragraph({ text: 'Laptop setup', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Install the VPN client', bullet: { level: 0 } }),
          new Paragraph({ text: 'Enable disk encryption', bullet: { level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Tool'), cell('Owner')] }),
              new TableRow({ children: [cell('Slack'), cell('IT desk')] }),
            ],
          }),
          new Paragraph({ text: 'Benefits', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Health insurance starts on the first day of the month after you join.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A Word document with one heading and its paragraphs, each paragraph's text written as given. */
export function buildDocxWithText(heading: string, paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }),
          ...paragraphs.map((text) => new Paragraph(text)),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export interface ZipEntrySpec {
  name: string;
  /** The entry's content, deflated by the writer. */
  data?: Buffer;
  /** An already deflated (raw) stream to store instead of `data`. */
  deflated?: Buffer;
  /** The uncompressed size written in the headers; bombs lie here to slip past size checks. */
  declaredSize?: number;
}

/** Writes a zip by hand, so tests can build archives real tools refuse to make (bombs, lying sizes). */
export function buildZip(entries: ZipEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = e.data ?? Buffer.alloc(0);
    const body = e.deflated ?? deflateRawSync(data);
    const crc = e.deflated ? 0 : crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>';

/**
 * A zip that looks like a DOCX but whose document part inflates to `inflatedBytes` of zeros. The zeros are
 * deflated one megabyte at a time, so building the bomb never holds it inflated either.
 */
export async function buildZipBombDocx(
  inflatedBytes: number,
  opts: { declaredSize?: number } = {},
): Promise<Buffer> {
  const deflater = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  const mb = Buffer.alloc(1024 * 1024);
  for (let left = inflatedBytes; left > 0; left -= mb.length) {
    if (!deflater.write(left >= mb.length ? mb : mb.subarray(0, left))) {
      await new Promise((resolve) => deflater.once('drain', resolve));
    }
  }
  deflater.end();
  await ended;
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    {
      name: 'word/document.xml',
      deflated: Buffer.concat(out),
      declaredSize: opts.declaredSize ?? inflatedBytes,
    },
  ]);
}
