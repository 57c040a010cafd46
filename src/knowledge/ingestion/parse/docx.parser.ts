import mammoth from 'mammoth';
import { IngestError } from '../ingest-error.js';
import { decodeEntities } from '../normalize.js';
import type { ParsedDocument } from './document.js';
import { htmlToBlocks, parseHtmlBody } from './html-blocks.js';
import { chooseTitle, titleFromBlocks } from './title.js';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, inspectZip } from './zip-guard.js';

const CORE_PROPS = 'docProps/core.xml';
// Word's Title and Subtitle styles are paragraphs to mammoth; mark them so the title can be found.
const STYLE_MAP = ["p[style-name='Title'] => h1.lore-doc-title:fresh", "p[style-name='Subtitle'] => p:fresh"];

/**
 * Reads a DOCX: the zip is inspected first (a bomb or a damaged zip is refused before mammoth inflates it),
 * then mammoth converts it to HTML, which is walked into headings, paragraphs, lists and tables.
 */
export async function parseDocx(
  bytes: Buffer,
  fileName: string,
  maxUncompressedBytes?: number,
): Promise<ParsedDocument> {
  const zip = await inspectZip(bytes, maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, [CORE_PROPS]);
  if (!zip.entryNames.includes('word/document.xml')) {
    throw new IngestError('unsupported_type', 'This file is a zip archive but not a Word document.');
  }
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap: STYLE_MAP,
        // Images are not text: give mammoth an empty source so it never reads or base64-encodes them.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
      },
    );
    html = result.value;
  } catch (err) {
    throw new IngestError('corrupt_file', 'This Word file is damaged and its text cannot be read.', err);
  }
  const titleStyled = /<h1 class="lore-doc-title">([\s\S]*?)<\/h1>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '');
  const blocks = htmlToBlocks(parseHtmlBody(html.replace(/<h1 class="lore-doc-title">[\s\S]*?<\/h1>/, '')));
  const coreTitle = /<dc:title>([\s\S]*?)<\/dc:title>/.exec(zip.small.get(CORE_PROPS) ?? '')?.[1];
  return {
    title: chooseTitle(
      fileName,
      coreTitle && decodeEntities(coreTitle),
      titleStyled && decodeEntities(titleStyled),
      titleFromBlocks(blocks),
    ),
    blocks,
  };
}
