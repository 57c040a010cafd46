import { commonPath, type Section, topLevel, toSections } from './chunk-sections.js';
import { type ExtractLimits, passageLimitError } from './extract-limits.js';
import type { ParsedDocument } from './parse/document.js';
import { isListItem, isTableRow, splitLongText, tailSentences } from './sentences.js';
import { countTokens, splitByTokens } from './tokens.js';

/** One chunk ready to embed and store; `section` is the heading path joined with ' > '. */
export interface ChunkDraft {
  ordinal: number;
  title: string;
  section: string;
  pageStart: number | null;
  pageEnd: number | null;
  content: string;
  tokenCount: number;
}

export interface ChunkOptions {
  /** Largest chunk, in cl100k tokens (default 400). */
  maxTokens?: number;
  /** Tokens of the previous chunk repeated at the start of the next one in the same section (default 60). */
  overlapTokens?: number;
  /** Stop as soon as the document needs more than `limits.maxChunks` chunks (default: no limit). */
  limits?: ExtractLimits;
}

interface Unit {
  text: string;
  tokens: number;
  page?: number;
  heading: boolean;
  /**
   * How this unit joins the one before it: a paragraph break, a line break (the next list item or table row of a
   * long paragraph), or a space for the rest of a split line.
   */
  glue: '\n\n' | '\n' | ' ';
  /** A table row of a long table: its table's first row (the column names), to start a chunk it starts. */
  header?: Unit;
}

interface Draft {
  units: Unit[];
  tokens: number;
  paths: string[][];
}

/**
 * Splits a parsed document into chunks by tokens: a chunk never spans two top-level sections, a heading
 * stays with its text, small subsections share a chunk, long sections split at paragraphs, then sentences,
 * with `overlapTokens` repeated between consecutive chunks of one section. Content carries no prefix.
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions = {}): ChunkDraft[] {
  const maxTokens = Math.max(16, Math.floor(opts.maxTokens ?? 400));
  const overlapTokens = Math.max(
    0,
    Math.min(Math.floor(opts.overlapTokens ?? 60), Math.floor(maxTokens / 2)),
  );
  const mergeBelow = Math.floor(maxTokens / 4);
  const sections = toSections(doc);
  const top = topLevel(sections);
  const drafts: Draft[] = [];
  let cur: Draft = { units: [], tokens: 0, paths: [] };

  const overLimit = (n: number) => opts.limits !== undefined && n > opts.limits.maxChunks;
  const close = (carryOverlapFor?: Unit) => {
    if (cur.units.length) drafts.push(cur);
    if (opts.limits && overLimit(drafts.length)) throw passageLimitError(opts.limits, 'too_many_passages');
    const prev = cur;
    cur = { units: [], tokens: 0, paths: [] };
    if (carryOverlapFor && overlapTokens > 0) {
      const room = Math.min(overlapTokens, maxTokens - carryOverlapFor.tokens - 1);
      for (const unit of overlapUnits(prev, room)) add(unit, prev.paths.at(-1) ?? []);
    }
  };
  const add = (unit: Unit, path: string[]) => {
    cur.tokens += unit.tokens + (cur.units.length ? 1 : 0);
    cur.units.push(unit);
    if (!cur.paths.some((p) => p === path)) cur.paths.push(path);
  };

  for (const section of sections) {
    const units = sectionUnits(section, maxTokens - overlapTokens, overlapTokens);
    const total = units.reduce((n, u) => n + u.tokens + 1, 0);
    const topLevelStart = section.level === 0 || section.level <= top;
    if (topLevelStart || cur.tokens >= mergeBelow || cur.tokens + total > maxTokens) {
      if (!onlyHeadings(cur) || topLevelStart) close();
    }
    for (let unit of units) {
      if (cur.tokens + unit.tokens + 1 > maxTokens && cur.units.length) {
        if (onlyHeadings(cur)) {
          // Never leave a heading alone at the end of a chunk: fill the room left with the start of its text.
          const [head, ...rest] = splitByTokens(unit.text, Math.max(8, maxTokens - cur.tokens - 2));
          add({ ...unit, text: head ?? '', tokens: countTokens(head ?? '') }, section.path);
          const remainder = rest.join(' ');
          if (!remainder) continue;
          unit = { ...unit, text: remainder, tokens: countTokens(remainder), glue: ' ', heading: false };
        }
        // A table's rows read by their column names: a chunk starting mid-table starts with them, not with the
        // tail of the row before.
        close(unit.header ? undefined : unit);
        if (unit.header) {
          add({ ...unit.header, glue: '\n\n' }, section.path);
          unit = { ...unit, glue: '\n' };
        }
      }
      add(unit, section.path);
    }
  }
  close();
  const chunks = toChunks(drafts, doc.title, maxTokens);
  if (opts.limits && overLimit(chunks.length)) throw passageLimitError(opts.limits, 'too_many_passages');
  return chunks;
}

/**
 * A section's headings and paragraphs as units. A list or table over `maxTokens` becomes one unit per line (a list
 * item, a table row), each kept on its own line, and a line over it one unit per sentence, as other paragraphs over
 * it are; a long table's rows carry its first row (the column names) when that fits in the overlap's room
 * (`headerTokens`).
 */
function sectionUnits(section: Section, maxTokens: number, headerTokens: number): Unit[] {
  const units: Unit[] = [];
  for (const block of section.blocks) {
    const tokens = countTokens(block.text);
    const heading = block.kind === 'heading';
    if (tokens <= maxTokens) {
      units.push({ text: block.text, tokens, page: block.page, heading, glue: '\n\n' });
      continue;
    }
    const lines = block.text.split('\n').filter((line) => line.trim());
    // A list or a table is cut between its items; prose, hard-wrapped or not, between its sentences.
    const isItem = (line: string) => isListItem(line.trim()) || isTableRow(line.trim());
    const itemised = lines.filter(isItem).length * 2 >= lines.length;
    let header: Unit | undefined;
    (itemised ? lines : [block.text]).forEach((line, li) => {
      const lineTokens = itemised ? countTokens(line) : tokens;
      const pieces = lineTokens <= maxTokens ? [line] : splitLongText(line, maxTokens, 1);
      pieces.forEach((text, pi) => {
        const unit: Unit = {
          text,
          tokens: pieces.length === 1 ? lineTokens : countTokens(text),
          page: block.page,
          heading,
          glue: pi > 0 ? ' ' : li > 0 ? '\n' : '\n\n',
          header,
        };
        units.push(unit);
        if (li === 0 && pieces.length === 1 && isTableRow(line.trim()) && unit.tokens <= headerTokens)
          header = unit;
      });
    });
  }
  return units;
}

/** The tail of a finished chunk to repeat at the start of the next: its last sentences within `room` tokens. */
function overlapUnits(prev: Draft, room: number): Unit[] {
  const out: Unit[] = [];
  let left = room;
  for (let i = prev.units.length - 1; i >= 0 && left > 3; i--) {
    const unit = prev.units[i] as Unit;
    if (unit.heading) break;
    if (unit.tokens + 1 <= left) {
      out.unshift({ ...unit });
      left -= unit.tokens + 1;
      continue;
    }
    const text = tailSentences(unit.text, left);
    if (text) out.unshift({ ...unit, text, tokens: countTokens(text) });
    break;
  }
  if (out[0]) out[0].glue = '\n\n';
  return out;
}

function onlyHeadings(d: Draft): boolean {
  return d.units.length > 0 && d.units.every((u) => u.heading);
}

/** Drafts → chunks: content joined, tokens counted exactly, heading-only drafts dropped, ordinals from 0. */
function toChunks(drafts: Draft[], title: string, maxTokens: number): ChunkDraft[] {
  const withText = drafts.filter((d) => !onlyHeadings(d));
  const chunks: ChunkDraft[] = [];
  for (const d of withText.length ? withText : drafts) {
    const content = d.units.map((u, i) => (i === 0 ? u.text : u.glue + u.text)).join('');
    const pages = d.units.map((u) => u.page).filter((p): p is number => p !== undefined);
    const base = {
      title,
      section: commonPath(d.paths).join(' > '),
      pageStart: pages.length ? Math.min(...pages) : null,
      pageEnd: pages.length ? Math.max(...pages) : null,
    };
    const tokenCount = countTokens(content);
    // Token estimates add a margin per join, so this only triggers on pathological text; it keeps the limit exact.
    const pieces = tokenCount <= maxTokens ? [content] : splitByTokens(content, maxTokens);
    for (const piece of pieces) {
      if (!piece.trim()) continue;
      const count = piece === content ? tokenCount : countTokens(piece);
      chunks.push({ ordinal: chunks.length, ...base, content: piece, tokenCount: count });
    }
  }
  return chunks;
}
