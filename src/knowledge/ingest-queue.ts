import type { JobQueue } from '../infra/queue/job-queue.js';

export const INGEST_JOB = 'ingest';
/** Attempts per ingest job: parsing is deterministic, so retries are only for the embedding provider. */
export const INGEST_ATTEMPTS = 4;

/** Payload of the `ingest` job (version 1). */
export interface IngestPayload {
  v: 1;
  tenantId: string;
  documentId: string;
  versionId: string;
  requestId?: string;
  /** Re-process a version that is already ready (re-index after an embedding model change). */
  force?: boolean;
}

/** Queues a version for ingestion; the job id makes a repeated enqueue of the same version a no-op. */
export async function enqueueIngest(queue: JobQueue, p: Omit<IngestPayload, 'v'>): Promise<void> {
  const payload: IngestPayload = { v: 1, ...p };
  // A re-index is a new run of a finished job, so it needs an id of its own.
  const jobId = p.force ? `reindex-${p.versionId}-${Date.now()}` : `ingest-${p.versionId}`;
  await queue.enqueue(INGEST_JOB, payload, { jobId, attempts: INGEST_ATTEMPTS, backoffMs: 2_000 });
}
