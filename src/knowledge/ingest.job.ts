import { z } from 'zod';
import type { Embedder } from '../ai/llm-client.js';
import { isAppError } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { defineJob } from '../infra/queue/job-definition.js';
import type { JobContext, JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { recordUsage } from '../usage/usage.repo.js';
import { replaceDocumentChunks } from './chunks.repo.js';
import {
  findDocument,
  findVersion,
  finishParse,
  knowledgeCounts,
  lockIfLatestVersion,
  setProgress,
  startParse,
} from './documents.repo.js';
import { embedChunks } from './embed-chunks.js';
import { type DocumentReader, sharedDocumentReader } from './ingestion/extract-in-thread.js';
import { IngestError } from './ingestion/ingest-error.js';
import { syncVectorIndexesIfGrown } from './retrieval/vector-indexes.job.js';

/** The queue lane ingestion runs in, with its own concurrency (INGEST_CONCURRENCY). */
export const INGEST_LANE = 'ingest';
/** Attempts per ingest job: parsing is deterministic, so retries are only for the embedding provider. */
export const INGEST_ATTEMPTS = 4;

const ingestPayload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  documentId: z.uuid(),
  versionId: z.uuid(),
  requestId: z.string().optional(),
  /** Re-process a version that is already ready (re-index after an embedding model change). */
  force: z.boolean().optional(),
});
/** Payload of the `ingest` job (version 1). */
export type IngestPayload = z.infer<typeof ingestPayload>;

export interface IngestDeps {
  db: Database;
  blobs: BlobStore;
  logger: Logger;
  /** The embedding client for a tenant (its own key or the platform's), or null: full-text search only. */
  embedderFor: (tenantId: string) => Promise<{ llm: Embedder; keySource: 'platform' | 'tenant' } | null>;
  embeddingModel: string;
  /** Reads documents in bounded worker threads (default: a reader of its own with the default bounds). */
  reader?: DocumentReader;
  /** PDFs with more pages are refused unread (default 2,000, as INGEST_MAX_PAGES). */
  maxPages?: number;
  /**
   * With both: an ingest of embedded chunks that takes the tenant past `vectorIndexes.minChunks` queues the
   * vector-index sync at once (vector-indexes.job.ts `syncVectorIndexesIfGrown`).
   */
  queue?: Pick<JobQueue, 'enqueue'>;
  vectorIndexes?: { minChunks: number };
}

/** The same as INGEST_TIMEOUT_SECONDS and INGEST_MEMORY_MB left unset (tools and tests). */
const DEFAULT_BOUNDS = { timeoutMs: 120_000, memoryMb: 512 };

/** Reads that started and never finished (the process died) before a version is given up on. */
const MAX_UNFINISHED_READS = 2;

/**
 * The `ingest` job: original → read in a bounded worker thread (type check, parse, chunk, all within the
 * plan's limits) → embed (batched, with progress) → one transaction that swaps the document's chunks. Bad
 * files end as `failed` with a reason and are not retried; provider outages are retried, and the last
 * attempt records the failure. Re-running a job is safe: nothing is searchable until the final
 * transaction, which replaces rather than appends.
 */
export const ingestJob = defineJob({
  name: 'ingest',
  schema: ingestPayload,
  attempts: INGEST_ATTEMPTS,
  backoffMs: 2_000,
  lane: INGEST_LANE,
  // A re-index is a new run of a finished job, so it needs an id of its own; otherwise a repeated enqueue of
  // the same version is a no-op.
  jobId: (p) => (p.force ? `reindex-${p.versionId}-${Date.now()}` : `ingest-${p.versionId}`),
  handler: createIngestRun,
});

function createIngestRun(deps: IngestDeps): (p: IngestPayload, ctx: JobContext) => Promise<void> {
  // Callers that bring no reader (tools, tests) share one per process.
  const reader = deps.reader ?? sharedDocumentReader(DEFAULT_BOUNDS);
  const maxPages = deps.maxPages ?? 2_000;
  return async (p, ctx) => {
    const log = deps.logger.child({ tenantId: p.tenantId, documentId: p.documentId, versionId: p.versionId });
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, p.tenantId, fn);
    const version = await tx((c) => findVersion(c, p.versionId));
    if (!version) return log.info('ingest skipped: the version no longer exists');
    if (!p.force && (version.status === 'ready' || version.status === 'failed')) return;
    try {
      const { unfinished, limits, document, otherChunks } = await tx(async (c) => {
        await setProgress(c, { versionId: version.id, status: 'parsing' });
        const plan = await getPlanLimits(c);
        const counts = await knowledgeCounts(c, version.documentId);
        return {
          unfinished: await startParse(c, version.id),
          document: await findDocument(c, version.documentId),
          otherChunks: counts.chunks,
          limits: {
            maxPages,
            maxChunks: Math.max(0, plan.maxChunks - counts.chunks),
            planMaxChunks: plan.maxChunks,
          },
        };
      });
      if (unfinished >= MAX_UNFINISHED_READS) {
        throw new IngestError(
          'parser_crashed',
          'Lore stopped twice while reading this file, so it will not try again. Save it again or in another format, and upload it.',
        );
      }
      const bytes = await deps.blobs.get(version.blobKey);
      const fileName = document?.sourceName ?? 'document';
      const { mediaType, title, pageCount, drafts } = await reader.read(bytes, fileName, limits);
      await tx(async (c) => {
        await finishParse(c, {
          versionId: version.id,
          documentId: version.documentId,
          mediaType,
          pageCount,
          title,
        });
        await setProgress(c, { versionId: version.id, status: 'embedding', done: 0, total: drafts.length });
      });
      const embedder = await deps.embedderFor(p.tenantId);
      let vectors: (number[] | null)[] = drafts.map(() => null);
      if (embedder) {
        const embedded = await embedChunks(embedder.llm, drafts, {
          model: deps.embeddingModel,
          onProgress: ({ done, total }) =>
            tx((c) => setProgress(c, { versionId: version.id, status: 'embedding', done, total })),
        });
        vectors = embedded.vectors;
        await tx((c) =>
          recordUsage(c, {
            tenantId: p.tenantId,
            kind: 'embedding',
            idempotencyKey: `embed-${version.id}`,
            model: deps.embeddingModel,
            keySource: embedder.keySource,
            promptTokens: embedded.promptTokens,
            costUsd: embedded.costUsd,
            outcome: `${embedded.requests} requests`,
          }),
        );
      }
      const stored = await tx(async (c) => {
        // Lock the document: a newer upload that arrived meanwhile wins, and this version is dropped.
        if (!(await lockIfLatestVersion(c, version.documentId, version.version))) return false;
        await replaceDocumentChunks(c, {
          tenantId: p.tenantId,
          documentId: version.documentId,
          versionId: version.id,
          embeddingModel: embedder ? deps.embeddingModel : null,
          chunks: drafts.map((d, i) => ({ ...d, embedding: vectors[i] ?? null })),
        });
        return true;
      });
      log.info({ chunks: drafts.length, embedded: Boolean(embedder), stored }, 'document ingested');
      if (stored && embedder && deps.queue && deps.vectorIndexes) {
        const grown = { before: otherChunks, after: otherChunks + drafts.length };
        if (await syncVectorIndexesIfGrown(deps.queue, deps.vectorIndexes.minChunks, grown))
          log.info(grown, 'tenant past the size for its own vector index: index sync queued');
      }
    } catch (err) {
      const permanent =
        err instanceof IngestError || (isAppError(err) && err.status < 500 && err.code !== 'ai_unavailable');
      const lastAttempt = ctx.attempt >= INGEST_ATTEMPTS;
      if (permanent || lastAttempt) {
        const reason =
          isAppError(err) && err.expose
            ? err.message
            : 'Processing failed unexpectedly. Try uploading it again.';
        await tx((c) => setProgress(c, { versionId: version.id, status: 'failed', errorReason: reason }));
        log.warn({ err, permanent }, 'document failed');
        if (permanent) return;
      }
      throw err;
    }
  };
}
