import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import { enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { listUnfinishedVersions } from './documents.repo.js';
import { ingestJob } from './ingest.job.js';

/**
 * Re-queues every version left unfinished by a crash or restart (the in-memory queue forgets its jobs;
 * BullMQ keeps them, and the job id makes this a no-op there). Runs across tenants at worker start, as
 * the owner role, reading only ids.
 */
export async function resumeUnfinishedIngests(
  db: Database,
  queue: JobQueue,
  logger: Logger,
): Promise<number> {
  const rows = await withTransaction(db, listUnfinishedVersions);
  for (const r of rows) await enqueueJob(queue, ingestJob, { v: 1, ...r });
  if (rows.length > 0) logger.info({ count: rows.length }, 'resumed unfinished document ingestion');
  return rows.length;
}
