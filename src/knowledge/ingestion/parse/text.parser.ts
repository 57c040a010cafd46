import { IngestError } from '../ingest-error.js';
import { normalizeLine } from '../normalize.js';
import { decodeText } from '../text-decode.js';
import type { Block, ParsedDocument } from './document.js';
import { chooseTitle } from './title.js';

/** Reads UTF-8 plain text: blank-line separated paragraphs (line breaks inside kept), no headings. */
export async function parseText(bytes: Buffer, fileName: string): Promise<ParsedDocument> {
  const text = decodeText(bytes);
  if (text === undefined) {
    throw new IngestError(
      'unsupported_type',
      'This file is not UTF-8 text. Save it as UTF-8 and upload again.',
    );
  }
  const blocks: Block[] = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .filter((p) => p.trim())
    .map((p) => ({ kind: 'text', text: p }));
  const firstLine = normalizeLine(text.trimStart().split('\n', 1)[0] ?? '');
  return { title: chooseTitle(fileName, firstLine.length <= 100 ? firstLine : undefined), blocks };
}
