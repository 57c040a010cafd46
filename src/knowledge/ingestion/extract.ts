import { type ChunkDraft, chunkDocument } from './chunk.js';
import type { ExtractLimits } from './extract-limits.js';
import { detectMediaType, type MediaType } from './media-type.js';
import { parseDocument } from './parse/parse-document.js';

/** What reading a document yields: its type, title, pages and the passages to embed and store. */
export interface Extracted {
  mediaType: MediaType;
  title: string;
  pageCount: number | null;
  drafts: ChunkDraft[];
}

/**
 * Detects, parses and chunks one document within `limits`. CPU- and memory-hungry on hostile files, so the
 * ingest job runs it in a worker thread (`extract-in-thread.ts`), never on the main event loop.
 */
export async function extractPassages(
  bytes: Buffer,
  fileName: string,
  limits: ExtractLimits,
): Promise<Extracted> {
  const mediaType = detectMediaType(bytes, fileName);
  const parsed = await parseDocument(bytes, mediaType, fileName, { limits });
  const drafts = chunkDocument(parsed, { limits });
  return { mediaType, title: parsed.title, pageCount: parsed.pageCount ?? null, drafts };
}
