import { randomBytes } from 'node:crypto';
import { createDeflate } from 'node:zlib';
import { buildPdf, buildZip } from './document-fixtures.js';

/**
 * Files built to hurt a document reader, each small on the wire and expensive to read: the corpus behind
 * the hostile-file tests. Built in memory at test time; none is checked in.
 */
export interface HostileFile {
  name: string;
  what: string;
  bytes: Buffer;
}

/** Zlib-deflates head + `repeat` copies of `unit` + tail, never holding the copies inflated. */
async function deflateRepeated(p: {
  head?: string;
  unit: string;
  repeat: number;
  tail?: string;
}): Promise<Buffer> {
  const deflater = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  if (p.head) deflater.write(p.head);
  const perBlock = Math.max(1, Math.floor((1024 * 1024) / p.unit.length));
  const block = Buffer.from(p.unit.repeat(perBlock));
  for (let left = p.repeat; left > 0; left -= perBlock) {
    const part = left >= perBlock ? block : Buffer.from(p.unit.repeat(left));
    if (!deflater.write(part)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end(p.tail ?? '');
  await ended;
  return Buffer.concat(out);
}

/** A PDF written by hand: `objects[i]` is object i+1; the xref table is computed. */
function writePdf(objects: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let at = parts[0]?.length ?? 0;
  objects.forEach((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    offsets.push(at);
    parts.push(obj);
    at += obj.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(at),
    '%%EOF',
  ].join('\n');
  parts.push(Buffer.from(`${xref}\n`));
  return Buffer.concat(parts);
}

const FONT = Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');

/** One page whose FlateDecode content stream inflates to about `inflatedMb` MB of text operators. */
export async function pdfStreamBomb(inflatedMb = 24): Promise<Buffer> {
  const op = '(Lorem ipsum dolor sit amet, consectetur adipiscing elit) Tj 0 -1 Td\n';
  const repeat = Math.floor((inflatedMb * 1024 * 1024) / op.length);
  // Text operators count only inside BT … ET.
  const stream = await deflateRepeated({ head: 'BT /F1 12 Tf 72 720 Td\n', unit: op, repeat, tail: 'ET\n' });
  return writePdf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    ),
    Buffer.concat([
      Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      Buffer.from('\nendstream'),
    ]),
    FONT,
  ]);
}

/** A PDF of `pages` pages that all show one short line: cheap to build, many pages to walk. */
export function pdfManyPages(pages: number): Buffer {
  const content = Buffer.from('BT /F1 12 Tf 72 720 Td (A page of the long report.) Tj ET');
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(' ');
  const objects = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`),
    Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`),
      content,
      Buffer.from('\nendstream'),
    ]),
    FONT,
  ];
  for (let i = 0; i < pages; i++) {
    objects.push(
      Buffer.from(
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>',
      ),
    );
  }
  return writePdf(objects);
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/**
 * A valid DOCX whose document.xml is `inflatedMb` MB of paragraphs that each carry a random reference, so
 * it compresses only about 15:1, like real text, and passes the zip guard's ratio and 50 MB checks.
 */
export function docxTextBomb(inflatedMb = 47): Buffer {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
  const tail = '</w:body></w:document>';
  const paragraphs: string[] = [];
  let size = head.length + tail.length;
  while (size < inflatedMb * 1024 * 1024) {
    const p = `<w:p><w:r><w:t>Request ${randomBytes(4).toString('hex')}: every employee may order equipment through the portal.</w:t></w:r></w:p>`;
    paragraphs.push(p);
    size += p.length;
  }
  const xml = Buffer.from(head + paragraphs.join('') + tail);
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    { name: 'word/document.xml', data: xml },
  ]);
}

/** HTML nested `depth` elements deep around one sentence. */
export function deepHtml(depth = 100_000): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><title>Deep</title></head><body>${'<div>'.repeat(depth)}Deep inside.${'</div>'.repeat(depth)}</body></html>`,
  );
}

/** One line of base64 text, `bytes` long: no spaces, no sentences, no paragraphs. */
export function hugeSingleLine(bytes = 10_400_000): Buffer {
  return Buffer.from(
    randomBytes(Math.ceil((bytes * 3) / 4))
      .toString('base64')
      .slice(0, bytes),
  );
}

/** Random bytes under a document's name. */
export function binaryJunk(bytes = 2 * 1024 * 1024): Buffer {
  return randomBytes(bytes);
}

/** A PDF that opens only with a password. */
export function passwordPdf(): Promise<Buffer> {
  return buildPdf([{ paragraphs: ['Salaries for next year.'] }], { userPassword: 'secret' });
}

/** What Word writes for a password-protected .docx: an OLE compound file (encrypted package inside). */
export function passwordDocx(): Buffer {
  const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return Buffer.concat([header, Buffer.alloc(504), Buffer.from('EncryptedPackage'), randomBytes(64 * 1024)]);
}
