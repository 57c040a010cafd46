import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import type { JobQueue } from '../infra/queue/job-queue.js';

export interface FailedJobsDeps {
  db: Database;
  queue: Pick<JobQueue, 'retryFailed' | 'discardFailed'>;
}

/**
 * The operator's two actions on a failed job, each audited platform-wide: which job, by whom. 404 when no
 * failed job has that id (already retried, discarded, or dropped as one of the oldest).
 */
export async function actOnFailedJob(
  deps: FailedJobsDeps,
  action: 'retry' | 'discard',
  jobId: string,
  actor: string,
): Promise<void> {
  const done =
    action === 'retry' ? await deps.queue.retryFailed(jobId) : await deps.queue.discardFailed(jobId);
  if (!done) throw notFound('Failed job');
  await withTransaction(deps.db, (c) =>
    appendAudit(c, {
      tenantId: null,
      actor,
      action: action === 'retry' ? 'job.retried' : 'job.discarded',
      target: jobId,
    }),
  );
}
