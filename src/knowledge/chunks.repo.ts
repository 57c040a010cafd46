import type { ChunkDto } from '../contracts/documents.contract.js';
import type { DbClient } from '../infra/db/database.js';
import { activateVersion } from './documents.repo.js';
import type { ChunkDraft } from './ingestion/chunk.js';
import { toVectorLiteral } from './retrieval/hybrid-search.repo.js';

/** A chunk ready to store: the chunker's draft plus its embedding (null when no provider is configured). */
export type ChunkToStore = ChunkDraft & { embedding: number[] | null };

// Rows per INSERT: large enough to amortise round trips, small enough to keep one statement's text modest.
const BATCH = 250;

/**
 * Makes `versionId` the searchable version of its document: deletes the old chunks and inserts the new
 * ones, then points the document at the version. Run it inside one transaction so a search sees the old
 * chunks or the new ones, never both or neither. The caller checks the version is still the latest.
 */
export async function replaceDocumentChunks(
  c: DbClient,
  p: {
    tenantId: string;
    documentId: string;
    versionId: string;
    chunks: ChunkToStore[];
    embeddingModel: string | null;
  },
): Promise<void> {
  await c.query('DELETE FROM lore.chunks WHERE document_id = $1', [p.documentId]);
  for (let i = 0; i < p.chunks.length; i += BATCH) {
    const batch = p.chunks.slice(i, i + BATCH);
    // unnest() over parallel arrays: one statement and a fixed number of parameters per batch.
    await c.query(
      `INSERT INTO lore.chunks (tenant_id, document_id, version_id, ordinal, title, section, page_start, page_end,
         content, token_count, embedding, embedding_model, embedding_dims)
       SELECT $1, $2, $3, t.ordinal, t.title, t.section, t.page_start, t.page_end, t.content, t.token_count,
              t.embedding::halfvec(1536), CASE WHEN t.embedding IS NULL THEN NULL ELSE $11 END,
              CASE WHEN t.embedding IS NULL THEN NULL ELSE 1536 END
       FROM unnest($4::int[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::int[], $12::text[])
         AS t(ordinal, title, section, page_start, page_end, content, token_count, embedding)`,
      [
        p.tenantId,
        p.documentId,
        p.versionId,
        batch.map((ch) => ch.ordinal),
        batch.map((ch) => ch.title),
        batch.map((ch) => ch.section),
        batch.map((ch) => ch.pageStart),
        batch.map((ch) => ch.pageEnd),
        batch.map((ch) => ch.content),
        batch.map((ch) => ch.tokenCount),
        p.embeddingModel,
        batch.map((ch) => (ch.embedding ? toVectorLiteral(ch.embedding) : null)),
      ],
    );
  }
  await activateVersion(c, { documentId: p.documentId, versionId: p.versionId, chunkCount: p.chunks.length });
}

/** Chunks of one document in reading order (the dashboard's document view; what citations link to). */
export async function listDocumentChunks(
  c: DbClient,
  documentId: string,
  opts: { limit: number; offset: number },
): Promise<ChunkDto[]> {
  const { rows } = await c.query(
    `SELECT id::text, ordinal, section, page_start AS "pageStart", page_end AS "pageEnd", content,
            token_count AS "tokenCount", embedding IS NOT NULL AS embedded
     FROM lore.chunks WHERE document_id = $1 ORDER BY ordinal LIMIT $2 OFFSET $3`,
    [documentId, opts.limit, opts.offset],
  );
  return rows;
}
