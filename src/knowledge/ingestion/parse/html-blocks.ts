import { parseHTML } from 'linkedom';
import type { Block } from './document.js';

/** The little of the DOM the walker needs (linkedom's nodes have it; the project has no DOM lib types). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?: (name: string) => string | null;
}

// Never text: code, styling, embedded frames and media, forms, and page furniture around the content.
const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'img',
  'picture',
  'button',
  'select',
  'textarea',
  'input',
  'form',
  'nav',
  'footer',
  'aside',
  'dialog',
  'head',
  'link',
  'meta',
]);
const BLOCK = new Set([
  'address',
  'article',
  'blockquote',
  'body',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'header',
  'hgroup',
  'hr',
  'html',
  'li',
  'main',
  'p',
  'section',
  'summary',
  'caption',
]);
const ELEMENT = 1;
const TEXT = 3;

/** Parses an HTML string (a whole page or a fragment) and returns its body. */
export function parseHtmlBody(html: string): DomNode {
  const wrapped = /<html[\s>]/i.test(html)
    ? html
    : `<!doctype html><html><head></head><body>${html}</body></html>`;
  const { document } = parseHTML(wrapped) as unknown as {
    document: { body: DomNode | null; documentElement: DomNode };
  };
  return document.body ?? document.documentElement;
}

/** Walks an element into heading and text blocks: h1–h6 become headings, lists and tables become text. */
export function htmlToBlocks(root: DomNode): Block[] {
  const blocks: Block[] = [];
  let inline = '';
  const flush = () => {
    if (inline.trim()) blocks.push({ kind: 'text', text: inline });
    inline = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === TEXT) {
      inline += (node.textContent ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIP.has(tag)) return;
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      flush();
      const text = inlineText(node).replace(/\s+/g, ' ').trim();
      if (text) blocks.push({ kind: 'heading', level: Number(heading[1]), text });
    } else if (tag === 'br') {
      inline += '\n';
    } else if (tag === 'ul' || tag === 'ol') {
      flush();
      inline = listLines(node, tag === 'ol', 0).join('\n');
      flush();
    } else if (tag === 'table') {
      flush();
      inline = tableLines(node).join('\n');
      flush();
    } else if (tag === 'pre') {
      flush();
      inline = inlineText(node, true);
      flush();
    } else if (BLOCK.has(tag)) {
      flush();
      eachChild(node, walk);
      flush();
    } else {
      eachChild(node, walk);
    }
  };
  walk(root);
  flush();
  return blocks;
}

/** The text inside an element, skipping what is never text; block children and <br> become line breaks. */
function inlineText(node: DomNode, pre = false): string {
  if (node.nodeType === TEXT) {
    const text = node.textContent ?? '';
    return pre ? text : text.replace(/\s+/g, ' ');
  }
  if (node.nodeType !== ELEMENT) return '';
  const tag = node.nodeName.toLowerCase();
  if (SKIP.has(tag)) return '';
  if (tag === 'br') return '\n';
  let out = '';
  eachChild(node, (child) => {
    out += inlineText(child, pre);
  });
  return BLOCK.has(tag) || tag === 'tr' ? `\n${out}\n` : out;
}

/** One line per list item ("- " or "1. "), nested lists indented under their item. */
function listLines(list: DomNode, ordered: boolean, depth: number): string[] {
  const lines: string[] = [];
  let n = 0;
  eachChild(list, (item) => {
    if (item.nodeType !== ELEMENT || item.nodeName.toLowerCase() !== 'li') return;
    n++;
    let own = '';
    const nested: string[] = [];
    eachChild(item, (child) => {
      const tag = child.nodeType === ELEMENT ? child.nodeName.toLowerCase() : '';
      if (tag === 'ul' || tag === 'ol') nested.push(...listLines(child, tag === 'ol', depth + 1));
      else own += ` ${inlineText(child)}`;
    });
    const text = own.replace(/\s+/g, ' ').trim();
    if (text) lines.push(`${'  '.repeat(depth)}${ordered ? `${n}.` : '-'} ${text}`);
    lines.push(...nested);
  });
  return lines;
}

/** One line per table row, cells separated by " | ". */
function tableLines(table: DomNode): string[] {
  const lines: string[] = [];
  const visit = (node: DomNode) => {
    if (node.nodeType !== ELEMENT) return;
    const tag = node.nodeName.toLowerCase();
    if (tag === 'tr') {
      const cells: string[] = [];
      eachChild(node, (cell) => {
        const t = cell.nodeType === ELEMENT ? cell.nodeName.toLowerCase() : '';
        if (t === 'td' || t === 'th') cells.push(inlineText(cell).replace(/\s+/g, ' ').trim());
      });
      if (cells.some(Boolean)) lines.push(cells.join(' | '));
    } else if (tag !== 'table' || node === table) {
      eachChild(node, visit);
    }
  };
  visit(table);
  return lines;
}

function eachChild(node: DomNode, fn: (child: DomNode) => void): void {
  const children = Array.from(node.childNodes);
  for (const child of children) fn(child);
}
