import type { Embedder } from '../ai/llm-client.js';
import { isAppError, limitExceeded } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { recordUsage } from '../usage/usage.repo.js';
import { replaceDocumentChunks } from './chunks.repo.js';
import { findDocument, findVersion, knowledgeCounts, setProgress } from './documents.repo.js';
import { embedChunks } from './embed-chunks.js';
import { INGEST_ATTEMPTS, type IngestPayload } from './ingest-queue.js';
import { chunkDocument } from './ingestion/chunk.js';
import { IngestError } from './ingestion/ingest-error.js';
import { detectMediaType } from './ingestion/media-type.js';
import { parseDocument } from './ingestion/parse/parse-document.js';

export interface IngestDeps {
  db: Database;
  blobs: BlobStore;
  logger: Logger;
  /** The embedding client for a tenant (its own key or the platform's), or null: full-text search only. */
  embedderFor: (tenantId: string) => Promise<{ llm: Embedder; keySource: 'platform' | 'tenant' } | null>;
  embeddingModel: string;
}

/**
 * The `ingest` job: original → type check → parse → chunk → embed (batched, with progress) → one
 * transaction that swaps the document's chunks. Bad files end as `failed` with a reason and are not
 * retried; provider outages are retried, and the last attempt records the failure. Re-running a job
 * is safe: nothing is searchable until the final transaction, which replaces rather than appends.
 */
export function createIngestJob(deps: IngestDeps): JobHandler {
  return async (raw, ctx) => {
    const p = raw as IngestPayload;
    const log = deps.logger.child({ tenantId: p.tenantId, documentId: p.documentId, versionId: p.versionId });
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, p.tenantId, fn);
    const version = await tx((c) => findVersion(c, p.versionId));
    if (!version) return log.info('ingest skipped: the version no longer exists');
    if (!p.force && (version.status === 'ready' || version.status === 'failed')) return;
    try {
      await tx((c) => setProgress(c, { versionId: version.id, status: 'parsing' }));
      const bytes = await deps.blobs.get(version.blobKey);
      const document = await tx((c) => findDocument(c, version.documentId));
      const fileName = document?.sourceName ?? 'document';
      const mediaType = detectMediaType(bytes, fileName);
      const parsed = await parseDocument(bytes, mediaType, fileName);
      const drafts = chunkDocument(parsed);
      const limits = await tx(async (c) => ({
        plan: await getPlanLimits(c),
        counts: await knowledgeCounts(c, version.documentId),
      }));
      if (limits.counts.chunks + drafts.length > limits.plan.maxChunks) {
        throw limitExceeded(
          `This document would take the knowledge base past your plan's ${limits.plan.maxChunks} passages. Delete some documents or upgrade.`,
        );
      }
      await tx(async (c) => {
        await c.query('UPDATE lore.document_versions SET media_type = $2, page_count = $3 WHERE id = $1', [
          version.id,
          mediaType,
          parsed.pageCount ?? null,
        ]);
        // The file's own title replaces the file-name default, never a title someone typed.
        await c.query(
          `UPDATE lore.documents SET title = $2 WHERE id = $1 AND title = regexp_replace(source_name, '\\.[^.]+$', '')`,
          [version.documentId, parsed.title.slice(0, 500)],
        );
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
        const { rows } = await c.query<{ latest: number }>(
          'SELECT latest_version AS latest FROM lore.documents WHERE id = $1 FOR UPDATE',
          [version.documentId],
        );
        if (rows[0]?.latest !== version.version) return false;
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
