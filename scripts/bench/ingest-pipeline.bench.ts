import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Embedder } from '../../src/ai/llm-client.js';
import { createLocalBlobStore } from '../../src/infra/blob/local-blob-store.js';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { addDocument } from '../../src/knowledge/document-intake.service.js';
import { ingestJob } from '../../src/knowledge/ingest.job.js';
import { createLogger } from '../../src/logger.js';
import { insertTenant } from '../../src/tenants/tenants.repo.js';
import { buildPdf, type PdfPage } from '../../tests/support/document-fixtures.js';
import { reportBench } from './report.js';

/**
 * The whole ingest pipeline on embedded Postgres for a 100-page PDF: intake (spool, checksum, blob) →
 * job (detect, parse, chunk, embed with a local stand-in so no network time counts, one-transaction
 * write). Baseline in the same run: a bare INSERT of the same rows, the floor any pipeline pays.
 */
const PAGES = 100;
const pages: PdfPage[] = Array.from({ length: PAGES }, (_, p) => ({
  ...(p % 5 === 0 ? { heading: `Chapter ${p / 5 + 1}` } : {}),
  paragraphs: Array.from({ length: 4 }, (_, n) =>
    `Section ${p}.${n} describes how requests of kind ${(p * 7 + n) % 23} are approved, logged and closed within five working days.`.repeat(
      3,
    ),
  ),
}));

const logger = createLogger({ level: 'silent' });
const db = await createEmbeddedDatabase('memory://');
await migrate(db);
const dir = await mkdtemp(path.join(tmpdir(), 'lore-bench-'));
const blobs = createLocalBlobStore(dir);
const queue = createMemoryQueue({ logger });
const tenant = await withTransaction(db, (c) =>
  insertTenant(c, {
    slackTeamId: 'TBENCH',
    slackEnterpriseId: null,
    isEnterpriseInstall: false,
    name: 'Bench',
    planId: 'business',
  }),
);

let requests = 0;
const unit = Array.from({ length: 1536 }, (_, i) => (i % 2 ? 1 : -1) / Math.sqrt(1536));
const localEmbedder: Embedder = {
  async embed(texts, { model }) {
    requests++;
    return { vectors: texts.map(() => unit), promptTokens: 0, model };
  },
};

async function ingestOnce(name: string, embed: boolean): Promise<{ ms: number; chunks: number }> {
  // A different title per round: identical bytes would be recognised as a duplicate and skipped.
  const pdf = await buildPdf(pages, { title: `Operations manual (${name})` });
  const t0 = performance.now();
  const r = await addDocument({ db, blobs, queue }, tenant.id, {
    fileName: name,
    body: Readable.from([pdf]),
    source: 'cli',
    actor: 'bench',
  });
  if (!r.versionId) throw new Error('expected a new version');
  await ingestJob.bind({
    db,
    blobs,
    logger,
    embeddingModel: 'text-embedding-3-small',
    embedderFor: async () => (embed ? { llm: localEmbedder, keySource: 'platform' } : null),
  })(
    { v: 1, tenantId: tenant.id, documentId: r.document.id, versionId: r.versionId },
    { jobId: name, attempt: 1, name: 'ingest' },
  );
  const ms = performance.now() - t0;
  const { rows } = await withTenant(db, tenant.id, (c) =>
    c.query('SELECT chunk_count AS n FROM lore.documents WHERE id = $1', [r.document.id]),
  );
  return { ms, chunks: rows[0].n };
}

/** The floor: the same number of rows in one bare INSERT, no parsing, no pipeline. */
async function bareInsert(chunks: number): Promise<number> {
  await db.pool.query('CREATE TEMP TABLE IF NOT EXISTS bare (content text, fts tsvector)');
  const text = pages[0]?.paragraphs[0] ?? '';
  const t0 = performance.now();
  await db.pool.query(`INSERT INTO bare SELECT t, to_tsvector('english', t) FROM unnest($1::text[]) t`, [
    Array.from({ length: chunks }, () => text.repeat(3)),
  ]);
  return performance.now() - t0;
}

await ingestOnce('warmup.pdf', false);
const fts = await ingestOnce('manual-fts.pdf', false);
const baseMs = await bareInsert(fts.chunks);
requests = 0;
const withEmbeddings = await ingestOnce('manual-embedded.pdf', true);
const requestsPerDoc = requests;

reportBench({
  name: 'ingest-pipeline',
  description: `${PAGES}-page PDF through intake + ingest job on embedded Postgres vs a bare INSERT of the same rows`,
  rows: [
    { metric: 'pages/s, full-text only', baseline: PAGES / (baseMs / 1000), lore: PAGES / (fts.ms / 1000) },
    {
      metric: 'chunks/s to the DB, full-text',
      baseline: fts.chunks / (baseMs / 1000),
      lore: fts.chunks / (fts.ms / 1000),
    },
    {
      metric: 'chunks/s with embeddings+HNSW',
      baseline: fts.chunks / (baseMs / 1000),
      lore: withEmbeddings.chunks / (withEmbeddings.ms / 1000),
    },
    {
      metric: 'embedding requests per doc',
      baseline: Math.ceil(withEmbeddings.chunks / 100),
      lore: requestsPerDoc,
    },
  ],
});
await queue.close();
await db.close();
await rm(dir, { recursive: true, force: true });
