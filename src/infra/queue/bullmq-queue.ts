import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AppError, unavailable } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { closeRedis, createRedisConnection, pingRedis, REDIS_KEY_PREFIX } from '../redis/redis-connection.js';
import {
  assertValidJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_FAILED_LIMIT,
  type FailedJob,
  type JobHandler,
  type JobQueue,
  KEEP_FINISHED_JOBS,
  unknownJobError,
} from './job-queue.js';

/** BullMQ's key prefix: Lore's Redis keys all start with `lore:` (BullMQ forbids ioredis keyPrefix). */
export const BULLMQ_PREFIX = `${REDIS_KEY_PREFIX}bull`;

// Retries of jobs that failed together (an OpenAI outage) spread over the last 20% of each wait.
const BACKOFF_JITTER = 0.2;

/** Creates the BullMQ-backed queue: a Queue to enqueue and a Worker (from startWorker) dispatching by name. */
export function createBullmqQueue(opts: { url: string; queueName?: string; logger: Logger }): JobQueue {
  const { url, queueName = 'lore' } = opts;
  const logger = opts.logger.child({ component: 'bullmq-queue', queue: queueName });
  // Producers fail fast when Redis is down (an enqueue must not hang a Slack ack); the worker waits it out.
  const producer = createRedisConnection(url, {
    connectionName: 'lore:queue',
    maxRetriesPerRequest: 2,
    logger,
  });
  const queue = new Queue(queueName, {
    connection: producer,
    prefix: BULLMQ_PREFIX,
    defaultJobOptions: {
      removeOnComplete: { count: KEEP_FINISHED_JOBS },
      removeOnFail: { count: KEEP_FINISHED_JOBS },
    },
  });
  queue.on('error', (err: Error) => logger.error({ err }, 'queue error'));
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  let closed: Promise<void> | undefined;

  async function run(handlers: Record<string, JobHandler>, job: Job): Promise<void> {
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    // Unrecoverable: waiting will not give an unknown name a handler, so it goes straight to failed.
    if (!handler) throw new UnrecoverableError(unknownJobError(job.name).message);
    // attemptsMade counts finished tries, so the running one is the next.
    await handler(job.data, { jobId: job.id ?? '', attempt: job.attemptsMade + 1, name: job.name });
  }

  return {
    kind: 'bullmq',

    async enqueue(name, payload, jobOpts = {}) {
      // Said plainly here; otherwise the caller would get ioredis's bare 'Connection is closed'.
      if (closed) throw unavailable('The job queue is closed');
      if (jobOpts.jobId !== undefined) assertValidJobId(jobOpts.jobId);
      // BullMQ stores `undefined` data as {}; saying so here keeps both adapters identical.
      const job = await queue.add(name, payload === undefined ? {} : payload, {
        jobId: jobOpts.jobId,
        attempts: jobOpts.attempts ?? DEFAULT_ATTEMPTS,
        backoff: {
          type: 'exponential',
          delay: jobOpts.backoffMs ?? DEFAULT_BACKOFF_MS,
          jitter: BACKOFF_JITTER,
        },
        delay: jobOpts.delayMs,
      });
      return { id: job.id ?? '' };
    },

    async schedule(key, name, payload, scheduleOpts) {
      if (closed) throw unavailable('The job queue is closed');
      if (!(scheduleOpts.everyMs > 0))
        throw new RangeError('everyMs must be a positive number of milliseconds');
      // A job scheduler lives in Redis: replicas upserting the same key share one schedule.
      await queue.upsertJobScheduler(
        key,
        { every: scheduleOpts.everyMs },
        {
          name,
          data: payload === undefined ? {} : payload,
          opts: {
            attempts: DEFAULT_ATTEMPTS,
            backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS, jitter: BACKOFF_JITTER },
          },
        },
      );
    },

    async unschedule(key) {
      if (closed) throw unavailable('The job queue is closed');
      return queue.removeJobScheduler(key);
    },

    async startWorker(handlers, workerOpts = {}) {
      if (worker) throw new AppError({ code: 'worker_running', message: 'The worker is already running' });
      if (closed) throw unavailable('The job queue is closed');
      // Lazy: BullMQ duplicates this for its own connections, so the template itself never connects.
      workerConnection = createRedisConnection(url, {
        connectionName: 'lore:worker',
        maxRetriesPerRequest: null,
        lazyConnect: true,
        logger,
      });
      worker = new Worker(queueName, (job: Job) => run(handlers, job), {
        connection: workerConnection,
        prefix: BULLMQ_PREFIX,
        concurrency: Math.max(1, Math.floor(workerOpts.concurrency ?? DEFAULT_CONCURRENCY)),
      });
      worker.on('error', (err: Error) => logger.error({ err }, 'worker error'));
      worker.on('failed', (job: Job | undefined, err: Error) => {
        logger.warn({ err, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'job failed');
      });
      await worker.waitUntilReady();
    },

    async counts() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      return {
        waiting: c.waiting ?? 0,
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
      };
    },

    async failed(limit = DEFAULT_FAILED_LIMIT): Promise<FailedJob[]> {
      if (limit <= 0) return [];
      const jobs = await queue.getFailed(0, limit - 1);
      return jobs.map((job) => ({
        id: job.id ?? '',
        name: job.name,
        payload: job.data,
        attempts: job.attemptsMade,
        error: job.failedReason ?? '',
        failedAt: new Date(job.finishedOn ?? job.timestamp),
      }));
    },

    async retryFailed(jobId) {
      const job = await queue.getJob(jobId);
      if (!job || (await job.getState()) !== 'failed') return false;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    },

    ping: () => pingRedis(producer),

    close() {
      closed ??= (async () => {
        // Worker.close() without force lets active jobs finish before it returns.
        await worker?.close();
        await queue.close();
        await closeRedis(producer);
        if (workerConnection) await closeRedis(workerConnection);
      })();
      return closed;
    },
  };
}
