import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { defineJob, enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { syncVectorIndexes, type VectorIndexPolicy } from './tenant-vector-indexes.service.js';

/** How often tenant indexes are checked: a tenant that grew past the size waits at most this for its own. */
export const VECTOR_INDEXES_EVERY_MS = 60 * 60_000;

/**
 * The scheduled job that builds a large tenant's own HNSW index and drops the ones no longer due
 * (`syncVectorIndexes`). In a lane of its own (concurrency 1): a build runs for minutes and must not hold
 * a slot that answers or documents wait for. Nothing to do on embedded PGlite (small by nature, and one
 * connection).
 */
export const vectorIndexesJob = defineJob({
  name: 'vector-indexes',
  schema: z.object({ v: z.literal(1) }),
  lane: 'maintenance',
  // A failed build is retried by the next hourly run (it drops the invalid index first), not at once.
  attempts: 1,
  handler: (deps: { db: Database; logger: Logger; vectorIndexes: VectorIndexPolicy }) => async () => {
    if (deps.db.kind === 'pglite') return;
    const result = await syncVectorIndexes(deps.db, deps.vectorIndexes, (a, phase) =>
      deps.logger.info(
        { ...a, phase },
        `tenant vector index: ${a.kind} ${phase === 'start' ? 'started' : 'done'}`,
      ),
    );
    if (result.status === 'busy')
      deps.logger.info('tenant vector indexes: another process is maintaining them');
  },
});

/**
 * Queues one run of the sync now when an ingest took a tenant's chunks from below `minChunks`
 * (VECTOR_INDEX_MIN_CHUNKS) to at least it, instead of leaving the build to the hourly run: a bulk import grows
 * by hundreds of thousands of chunks within the hour, and its recall on the shared index falls as it grows
 * (0.94-0.97 at 500,000 chunks, BENCHMARKS.md), while its own index, once built, takes every later row as it
 * is written. Ingests that cross the size together queue a run each; the maintenance lock and the plan make
 * the later ones no-ops. Ingests that together cross it without either seeing it are left to the hourly run.
 */
export async function syncVectorIndexesIfGrown(
  queue: Pick<JobQueue, 'enqueue'>,
  minChunks: number,
  chunks: { before: number; after: number },
): Promise<boolean> {
  if (chunks.before >= minChunks || chunks.after < minChunks) return false;
  await enqueueJob(queue, vectorIndexesJob, { v: 1 });
  return true;
}
