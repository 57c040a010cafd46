import type { Metrics } from '../infra/metrics.js';
import type { JobHandler, JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import type { JobRegistry } from './registry.js';

/** Fields every job payload carries (design §7): who it is for, which request caused it, and its version. */
interface JobEnvelope {
  tenantId?: string;
  requestId?: string;
}

/**
 * Starts the worker: each handler runs with a child logger (job, tenant, request ids), and every
 * finished or failed attempt is counted in metrics by job name and outcome.
 */
export async function startWorker(
  queue: JobQueue,
  registry: JobRegistry,
  deps: { logger: Logger; metrics: Metrics; concurrency?: number },
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
        deps.metrics.jobsProcessed.inc({ job: name, outcome: 'failed_attempt' });
        log.warn({ err, ms: Date.now() - started }, 'job attempt failed');
        throw err;
      }
    };
  }
  await queue.startWorker(wrapped, { concurrency: deps.concurrency });
}
