import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { type ChunkToStore, replaceDocumentChunks } from '../../src/knowledge/chunks.repo.js';
import {
  createSyntheticDocument,
  createVectorSpace,
  seededRandom,
} from '../../tests/support/synthetic-chunks.js';
import { CHUNK_TOKENS, chunkText } from './synthetic-text.js';

/** Chunks per document in the ingestion sample: a long handbook section's worth. */
const CHUNKS_PER_DOCUMENT = 100;

/**
 * Lore's ingestion write path with faked embeddings: `chunks` synthetic chunks stored by
 * replaceDocumentChunks under withTenant, one transaction per document as the ingest job does, into the
 * loaded table with every index in place (so each row joins the HNSW graph, as in production). Only that
 * call is timed: parsing, chunking and the embedding request are not part of it. Returns chunks/s.
 */
export async function measureIngestion(db: Database, chunks: number): Promise<number> {
  const space = createVectorSpace(7, chunks);
  const words = seededRandom(7 ^ 0x5eed);
  let seconds = 0;
  for (let done = 0, doc = 0; done < chunks; done += CHUNKS_PER_DOCUMENT, doc++) {
    const n = Math.min(CHUNKS_PER_DOCUMENT, chunks - done);
    const ids = await createSyntheticDocument(db, `ingest-${doc}`, n);
    const drafts: ChunkToStore[] = Array.from({ length: n }, (_, ordinal) => {
      const { vector, topic } = space.draw();
      return {
        ordinal,
        title: 'Synthetic',
        section: '',
        pageStart: null,
        pageEnd: null,
        content: chunkText(topic, words),
        tokenCount: CHUNK_TOKENS,
        embedding: Array.from(vector),
      };
    });
    const t0 = performance.now();
    await withTenant(db, ids.tenantId, (c) =>
      replaceDocumentChunks(c, { ...ids, chunks: drafts, embeddingModel: 'synthetic' }),
    );
    seconds += (performance.now() - t0) / 1000;
  }
  return chunks / seconds;
}
