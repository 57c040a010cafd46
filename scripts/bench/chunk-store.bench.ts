import { readFileSync } from 'node:fs';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { type ChunkToStore, replaceDocumentChunks } from '../../src/knowledge/chunks.repo.js';
import { insertDocument, insertVersion } from '../../src/knowledge/documents.repo.js';
import { buildDocument } from '../../tests/support/factories.js';
import { createSyntheticDocument } from '../../tests/support/synthetic-chunks.js';
import { reportBench } from './report.js';

/**
 * What keeping each tenant's vocabulary costs ingestion: storing a document's chunks (replaceDocumentChunks,
 * one transaction, as the ingest job does) with the `lore.tenant_words` trigger, against the same store with the
 * trigger disabled, alternating document by document in one run on embedded Postgres. The chunks are the
 * Kestrel handbook's text cut into 1,500 characters, 100 to a document, all of one tenant (so most of a
 * document's words are already counted, as in a real workspace).
 */
const DOCUMENTS = 30;
const CHUNKS = 100;
const TRIGGER = 'chunks_count_words_insert';

const handbook = readFileSync('tests/fixtures/eval/corpus.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .join(' ');
const piece = (i: number) => {
  const at = (i * 1_500) % (handbook.length - 1_500);
  return handbook.slice(at, at + 1_500);
};

const db = await createEmbeddedDatabase('memory://');
await migrate(db);
const { tenantId } = await createSyntheticDocument(db, 'chunk-store', 0);
const ms = { with: 0, without: 0 };
for (let doc = 0; doc < 2 * DOCUMENTS; doc++) {
  const mode = doc % 2 === 0 ? 'with' : 'without';
  await db.pool.query(`ALTER TABLE lore.chunks ${mode === 'with' ? 'ENABLE' : 'DISABLE'} TRIGGER ${TRIGGER}`);
  // A document and its version of the one tenant, as an upload makes them (the repo functions an upload calls).
  const { documentId, versionId } = await withTenant(db, tenantId, async (c) => {
    const document = await insertDocument(c, buildDocument(tenantId, { sourceName: `handbook-${doc}.md` }));
    const version = await insertVersion(c, {
      tenantId,
      documentId: document.id,
      checksum: String(doc).padStart(64, '0'),
      byteSize: 1,
      mediaType: 'text/markdown',
    });
    return { documentId: document.id, versionId: version.id };
  });
  const chunks: ChunkToStore[] = Array.from({ length: CHUNKS }, (_, ordinal) => ({
    ordinal,
    title: `Handbook part ${doc}`,
    section: 'Policies',
    pageStart: null,
    pageEnd: null,
    content: piece(doc * CHUNKS + ordinal),
    tokenCount: 300,
    embedding: null,
  }));
  const t0 = performance.now();
  await withTenant(db, tenantId, (c) =>
    replaceDocumentChunks(c, { tenantId, documentId, versionId, chunks, embeddingModel: null }),
  );
  ms[mode] += performance.now() - t0;
}
await db.close();

const perChunk = (total: number) => total / (DOCUMENTS * CHUNKS);
reportBench({
  name: 'chunk-store',
  description: `storing ${DOCUMENTS} documents of ${CHUNKS} chunks (1,500 characters) with the tenant-words trigger vs without it, alternating, embedded Postgres`,
  rows: [{ metric: 'ms per chunk stored', baseline: perChunk(ms.without), lore: perChunk(ms.with) }],
});
