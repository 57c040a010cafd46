import { IngestError } from '../ingest-error.js';
import { decodeText } from '../text-decode.js';
import type { Block, ParsedDocument } from './document.js';
import { chooseTitle, titleFromBlocks } from './title.js';

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC = /^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/;
// A list item at any depth (nested items are indented 2, 4 or more spaces) or a table row.
const LINE_START = /^\s*(?:[-*+]|\d{1,9}[.)])[ \t]|^ {0,3}\|/;
const LINK_DEF = /^ {0,3}\[[^\]]+\]:\s+\S+/;

/**
 * Reads Markdown with a small line parser: ATX and setext headings, fenced code kept as text, lists and
 * tables kept line by line, inline markup reduced to its text. Front matter is dropped; its `title` is used.
 */
export async function parseMarkdown(bytes: Buffer, fileName: string): Promise<ParsedDocument> {
  const source = decodeText(bytes);
  if (source === undefined)
    throw new IngestError('corrupt_file', 'This Markdown file is not readable UTF-8 text.');
  const { body, title: frontTitle } = splitFrontMatter(source.replace(/\r\n?/g, '\n'));
  const blocks = markdownBlocks(body);
  return { title: chooseTitle(fileName, frontTitle, titleFromBlocks(blocks)), blocks };
}

/** Markdown text → heading and text blocks. */
export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  let para: string[] = [];
  const flush = () => {
    const text = joinParagraph(para);
    if (text.trim()) blocks.push({ kind: 'text', text });
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = FENCE.exec(line);
    if (fence?.[1]) {
      flush();
      const close = new RegExp(`^ {0,3}${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}[ \\t]*$`);
      const code: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i] ?? ''); i++) code.push(lines[i] ?? '');
      if (code.some((l) => l.trim())) blocks.push({ kind: 'text', text: code.join('\n') });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx?.[1]) {
      flush();
      const text = inlineText(atx[2] ?? '');
      if (text) blocks.push({ kind: 'heading', level: atx[1].length, text });
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext?.[1] && para.length > 0 && !LINE_START.test(para[0] ?? '')) {
      const text = inlineText(para.join(' '));
      para = [];
      if (text) blocks.push({ kind: 'heading', level: setext[1][0] === '=' ? 1 : 2, text });
      continue;
    }
    if (!line.trim() || THEMATIC.test(line)) {
      flush();
      continue;
    }
    if (
      LINK_DEF.test(line) ||
      /^ {0,3}\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$/.test(line)
    ) {
      continue; // link reference definitions and table separator rows carry no text
    }
    para.push(line.replace(/^ {0,3}>[ \t]?/, ''));
  }
  flush();
  return blocks;
}

/**
 * Joins paragraph lines: soft breaks become spaces, but list items and table rows keep their own lines.
 * Inline markup is reduced per joined line, not per source line: hard-wrapped Markdown splits links and
 * emphasis across lines ("[Service\nDesk](https://…)"), which read line by line would reach quotes as markup.
 */
function joinParagraph(lines: string[]): string {
  const joined: string[] = [];
  lines.forEach((line, i) => {
    const hardBreak = /(?: {2}|\\)$/.test(lines[i - 1] ?? '');
    const text = line.replace(/\\$/, '');
    if (i === 0 || LINE_START.test(line) || hardBreak) joined.push(text);
    else joined[joined.length - 1] += ` ${text.trim()}`;
  });
  return joined.map((line) => inlineText(line, true)).join('\n');
}

/** Inline Markdown reduced to the words a reader sees. */
function inlineText(text: string, keepIndent = false): string {
  const indent = keepIndent ? (/^\s*/.exec(text)?.[0] ?? '') : '';
  // A backslash escape is the character itself, never markup ("\*If you…" reads "*If you…"): held aside as NUL and
  // its code while the markup is reduced (decodeText refuses text holding a NUL, so none is the document's own).
  const plain = text
    .replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => `\u0000${c.charCodeAt(0)};`)
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/`+([^`]+)`+/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|\W)_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL set aside above
    .replace(/\u0000(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .trim();
  return indent + plain;
}

/** Splits off YAML (---) or TOML (+++) front matter, returning its title when it has one. */
function splitFrontMatter(source: string): { body: string; title?: string } {
  const m = /^(---|\+\+\+)[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|$)/.exec(source);
  if (!m) return { body: source };
  const titleLine = /^title\s*[:=]\s*(.+)$/m.exec(m[2] ?? '')?.[1]?.trim();
  const title = titleLine?.replace(/^(['"])(.*)\1$/, '$2');
  return { body: source.slice(m[0].length), title };
}
