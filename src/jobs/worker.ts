import { isAppError } from '../errors.js';
import { isDatabaseUnreachable } from '../infra/db/database.js';
import type { Metrics } from '../infra/metrics.js';
import {
  type JobHandler,
  type JobQueue,
  RetryLaterError,
  type WorkerOptions,
} from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { brokenTokenCode } from '../tenants/installations/installation-health.service.js';
import type { JobRegistry } from './registry.js';

/** Fields every job payload carries (design §7): who it is for, which request caused it, and its version. */
interface JobEnvelope {
  tenantId?: string;
  requestId?: string;
}

/**
 * How long a job waits out a database that cannot be reached (a restart, a failover) before such failures
 * count against its attempts again, and how often it looks. An acknowledged event must not be dropped
 * because the database was away for a few seconds, which a job's own retries (about 3 s) would not cover.
 */
export const DATABASE_WAIT = { forMs: 5 * 60_000, everyMs: 2_000 };

/**
 * Starts the worker: each handler runs with a child logger (job, tenant, request ids), and every
 * finished or failed attempt is counted in metrics by job name and outcome.
 */
export async function startWorker(
  queue: JobQueue,
  registry: JobRegistry,
  deps: { logger: Logger; metrics: Metrics; lanes?: WorkerOptions },
): Promise<void> {
  const wrapped: Record<string, JobHandler> = {};
  for (const [name, handler] of Object.entries(registry)) {
    wrapped[name] = async (payload, ctx) => {
      const envelope = (payload ?? {}) as JobEnvelope;
      const log = deps.logger.child({
        job: name,
        jobId: ctx.jobId,
        attempt: ctx.attempt,
        tenantId: envelope.tenantId,
        requestId: envelope.requestId,
      });
      const started = Date.now();
      try {
        await handler(payload, ctx);
        deps.metrics.jobsProcessed.inc({ job: name, outcome: 'completed' });
        log.info({ ms: Date.now() - started }, 'job completed');
      } catch (err) {
        const queuedFor = ctx.queuedAt === undefined ? Number.POSITIVE_INFINITY : Date.now() - ctx.queuedAt;
        if (isDatabaseUnreachable(err) && queuedFor < DATABASE_WAIT.forMs) {
          deps.metrics.jobsProcessed.inc({ job: name, outcome: 'deferred' });
          log.warn({ err, ms: Date.now() - started }, 'database unreachable: job deferred');
          throw new RetryLaterError(DATABASE_WAIT.everyMs, err);
        }
        deps.metrics.jobsProcessed.inc({ job: name, outcome: 'failed_attempt' });
        if (isAppError(err) && err.code === 'invalid_job_payload') {
          // Queued by an older version, or by a bug: no retry fixes it (the definition marked it unrecoverable).
          log.error(
            { err, issues: err.details },
            'job payload does not match its schema: failed without retries',
          );
          throw err;
        }
        log.warn({ err, ms: Date.now() - started }, 'job attempt failed');
        // Slack refused the token: only a reinstall helps, so the queue must not retry.
        if (brokenTokenCode(err) && err instanceof Error) Object.assign(err, { unrecoverable: true });
        throw err;
      }
    };
  }
  await queue.startWorker(wrapped, deps.lanes);
}
