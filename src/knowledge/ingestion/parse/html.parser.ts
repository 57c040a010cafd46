import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { IngestError } from '../ingest-error.js';
import { decodeText } from '../text-decode.js';
import type { ParsedDocument } from './document.js';
import { type DomNode, htmlToBlocks, parseHtmlBody } from './html-blocks.js';
import { chooseTitle, titleFromBlocks } from './title.js';

/**
 * Reads the main content of an HTML page: Readability picks the article (dropping navigation, footers,
 * sidebars); scripts, styles, frames and attributes never reach the text. Falls back to the whole body.
 */
export async function parseHtml(bytes: Buffer, fileName: string): Promise<ParsedDocument> {
  const html = decodeText(bytes);
  if (html === undefined) throw new IngestError('corrupt_file', 'This HTML file is not readable UTF-8 text.');
  const { document } = parseHTML(html) as unknown as { document: { title?: string; body: DomNode | null } };
  const pageTitle = document.title;
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    // Readability expects a browser Document; linkedom's is close enough for its traversal.
    article = new Readability(document as never).parse();
  } catch {
    article = null;
  }
  let blocks = article?.content ? htmlToBlocks(parseHtmlBody(article.content)) : [];
  if (blocks.length === 0) {
    // Readability mutates the page it reads, so the fallback walks a fresh parse of the original.
    blocks = htmlToBlocks(parseHtmlBody(html));
  }
  return {
    title: chooseTitle(fileName, article?.title ?? undefined, pageTitle, titleFromBlocks(blocks)),
    blocks,
  };
}
