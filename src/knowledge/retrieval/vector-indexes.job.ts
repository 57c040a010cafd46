import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { defineJob } from '../../infra/queue/job-definition.js';
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
