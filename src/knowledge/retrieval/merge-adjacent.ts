import { isTableRow } from '../ingestion/sentences.js';
import type { SearchHit } from './hybrid-search.repo.js';

/** A passage for the answer step: one hit, or neighbouring hits of one document joined in reading order. */
export interface Passage {
  documentId: string;
  title: string;
  sourceName: string;
  section: string;
  pageStart: number | null;
  pageEnd: number | null;
  /** Ordinals of the chunks it joins, ascending. */
  ordinals: number[];
  chunkIds: string[];
  content: string;
  /** The best fused score among its chunks: passages keep the order of their best hit. */
  score: number;
  /** The best share of the question's words among its chunks, and the best cosine similarity (or null). */
  termCoverage: number;
  /** The best share of the whole message's words, the situation told included (SearchHit.messageCoverage). */
  messageCoverage: number;
  similarity: number | null;
}

/**
 * Joins hits of the same document whose chunks are next to each other (ordinals n and n+1) into one
 * passage, dropping the overlap the chunker repeats at the start of the second chunk, so the answer
 * step gets continuous text instead of two fragments that each cut a paragraph.
 */
export function mergeAdjacentHits(hits: SearchHit[]): Passage[] {
  const byDoc = new Map<string, SearchHit[]>();
  for (const h of hits) byDoc.set(h.documentId, [...(byDoc.get(h.documentId) ?? []), h]);
  const passages: Passage[] = [];
  for (const group of byDoc.values()) {
    const sorted = [...group].sort((a, b) => a.ordinal - b.ordinal);
    let cur: Passage | null = null;
    for (const h of sorted) {
      const last = cur?.ordinals.at(-1);
      if (cur && last !== undefined && h.ordinal === last + 1) {
        cur.content = joinWithoutOverlap(cur.content, h.content);
        cur.ordinals.push(h.ordinal);
        cur.chunkIds.push(h.chunkId);
        cur.score = Math.max(cur.score, h.score);
        cur.termCoverage = Math.max(cur.termCoverage, h.termCoverage);
        cur.messageCoverage = Math.max(cur.messageCoverage, h.messageCoverage ?? h.termCoverage);
        cur.similarity = maxPage(cur.similarity, h.similarity);
        cur.pageEnd = maxPage(cur.pageEnd, h.pageEnd);
        if (cur.section !== h.section) cur.section = commonSection(cur.section, h.section);
        continue;
      }
      if (cur) passages.push(cur);
      cur = {
        documentId: h.documentId,
        title: h.title,
        sourceName: h.sourceName,
        section: h.section,
        pageStart: h.pageStart,
        pageEnd: h.pageEnd,
        ordinals: [h.ordinal],
        chunkIds: [h.chunkId],
        content: h.content,
        score: h.score,
        termCoverage: h.termCoverage,
        messageCoverage: h.messageCoverage ?? h.termCoverage,
        similarity: h.similarity,
      };
    }
    if (cur) passages.push(cur);
  }
  return passages.sort((a, b) => b.score - a.score);
}

/** Whether each hit is part of one of `passages` (the first ones a reply shows, say). */
export function inPassages(hits: SearchHit[], passages: Passage[]): boolean[] {
  const ids = new Set(passages.flatMap((p) => p.chunkIds));
  return hits.map((h) => ids.has(h.chunkId));
}

/**
 * For each hit, its own index and those of the retrieved chunks right next to it in the same document
 * (ordinal n − 1 and n + 1), in the hits' order: the text the no-model gate reads it with (search.service.ts).
 * Only direct neighbours: a chain of chunks is a whole section, not one hit's context.
 */
export function neighbourIndexes(hits: ReadonlyArray<Pick<SearchHit, 'documentId' | 'ordinal'>>): number[][] {
  const at = new Map(hits.map((h, i) => [`${h.documentId}\u0000${h.ordinal}`, i]));
  return hits.map((h, i) => {
    const before = at.get(`${h.documentId}\u0000${h.ordinal - 1}`);
    const after = at.get(`${h.documentId}\u0000${h.ordinal + 1}`);
    return [i, ...[before, after].filter((j): j is number => j !== undefined)].sort((a, b) => a - b);
  });
}

// The chunker repeats at most a few sentences; looking further back only costs time.
const MAX_OVERLAP_CHARS = 2_000;

/**
 * `a` then `b`, without the longest start of `b` that `a` already ends with, or, when `b` starts mid-table with its
 * table's column names (chunk.ts), without those: the table reads them once, where it starts.
 */
export function joinWithoutOverlap(a: string, b: string): string {
  const [first = '', ...rest] = b.split('\n');
  if (isTableRow(first) && a.split('\n').includes(first)) return `${a}\n${rest.join('\n')}`;
  const limit = Math.min(a.length, b.length, MAX_OVERLAP_CHARS);
  for (let n = limit; n >= 20; n--) {
    if (a.endsWith(b.slice(0, n))) return `${a}${b.slice(n)}`;
  }
  return `${a}\n\n${b}`;
}

/** The larger of two optional numbers (pages, similarities). */
const maxPage = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** The shared leading part of two ' > '-joined heading paths. */
function commonSection(a: string, b: string): string {
  const pa = a.split(' > ');
  const pb = b.split(' > ');
  const out: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i++) out.push(pa[i] as string);
  return out.join(' > ');
}
