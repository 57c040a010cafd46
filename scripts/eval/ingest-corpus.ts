import { Readable } from 'node:stream';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { addDocument } from '../../src/knowledge/document-intake.service.js';
import { type IngestDeps, ingestJob } from '../../src/knowledge/ingest.job.js';
import type { BeirDocument } from './beir.js';

/** What ingestion made of a corpus: which Lore document holds which corpus document, and what failed. */
export interface IngestedCorpus {
  /** Lore document id → corpus `_id`. */
  corpusIdOf: Map<string, string>;
  documents: number;
  chunks: number;
  failed: Array<{ corpusId: string; reason: string }>;
  duplicates: number;
  seconds: number;
}

/** A source name per corpus id, unique and safe as a file name. */
function fileNameFor(id: string, taken: Set<string>): string {
  const base = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 150) || 'doc';
  let name = `${base}.md`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}.md`;
  taken.add(name);
  return name;
}

/**
 * Ingests a corpus into a tenant through the real pipeline: each document is uploaded with
 * `addDocument` (Markdown: "# title" then the text) and made searchable by the `ingest` job, run by an
 * in-process queue exactly as in embedded mode (parse → chunk → embed when configured → store).
 */
export async function ingestCorpus(
  deps: IngestDeps,
  tenantId: string,
  docs: BeirDocument[],
  opts: { onProgress?: (done: number, total: number) => void } = {},
): Promise<IngestedCorpus> {
  const started = performance.now();
  const queue = createMemoryQueue({ logger: deps.logger });
  await queue.startWorker({ [ingestJob.name]: ingestJob.bind(deps) }, { concurrency: 1 });
  const corpusIdOf = new Map<string, string>();
  const taken = new Set<string>();
  let duplicates = 0;
  try {
    for (const [i, doc] of docs.entries()) {
      const markdown = doc.title.trim() ? `# ${doc.title.trim()}\n\n${doc.text}\n` : `${doc.text}\n`;
      const result = await addDocument({ db: deps.db, blobs: deps.blobs, queue }, tenantId, {
        fileName: fileNameFor(doc._id, taken),
        body: Readable.from([Buffer.from(markdown)]),
        source: 'api',
        actor: 'eval',
      });
      if (result.outcome === 'duplicate') duplicates++;
      else corpusIdOf.set(result.document.id, doc._id);
      opts.onProgress?.(i + 1, docs.length);
    }
    for (;;) {
      const c = await queue.counts();
      if (c.waiting + c.active + c.delayed === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await queue.close();
  }
  const { rows } = await deps.db.pool.query<{
    id: string;
    status: string;
    error_reason: string | null;
    chunk_count: number;
  }>('SELECT id, status, error_reason, chunk_count FROM lore.documents WHERE tenant_id = $1', [tenantId]);
  const failed = rows
    .filter((r) => r.status !== 'ready')
    .map((r) => ({ corpusId: corpusIdOf.get(r.id) ?? r.id, reason: r.error_reason ?? r.status }));
  return {
    corpusIdOf,
    documents: rows.length,
    chunks: rows.reduce((n, r) => n + r.chunk_count, 0),
    failed,
    duplicates,
    seconds: (performance.now() - started) / 1000,
  };
}
