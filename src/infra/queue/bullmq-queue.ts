import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { unavailable, workerRunning } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { closeRedis, createRedisConnection, pingRedis, REDIS_KEY_PREFIX } from '../redis/redis-connection.js';
import {
  DEFAULT_FAIRNESS,
  type FairLane,
  type FairnessTimings,
  runInTenantSlot,
  sweepParked,
} from './bullmq-fairness.js';
import { createIntakeStream } from './intake-stream.js';
import {
  assertSubmittable,
  assertValidJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_FAILED_LIMIT,
  dedupedJobId,
  errorMessage,
  type FailedJob,
  groupWaiting,
  isUnrecoverable,
  type JobHandler,
  type JobLanes,
  type JobQueue,
  KEEP_FINISHED_JOBS,
  laneConcurrency,
  laneOf,
  RetryLaterError,
  type SubmitLimits,
  tenantLimit,
  unknownJobError,
  WAITING_SAMPLE,
} from './job-queue.js';
import { createTenantSlots } from './tenant-slots.js';

/** BullMQ's key prefix: Lore's Redis keys all start with `lore:` (BullMQ forbids ioredis keyPrefix). */
export const BULLMQ_PREFIX = `${REDIS_KEY_PREFIX}bull`;

// Retries of jobs that failed together (an OpenAI outage) spread over the last 20% of each wait.
const BACKOFF_JITTER = 0.2;

/**
 * Creates the BullMQ-backed queue: one BullMQ queue per lane (the default lane is `queueName`, a lane L is
 * `queueName-L`) and, from startWorker, one Worker per lane dispatching by job name.
 */
export function createBullmqQueue(opts: {
  url: string;
  queueName?: string;
  lanes?: JobLanes;
  logger: Logger;
  /** Per-tenant limit timings (tests shorten them). */
  fairness?: Partial<FairnessTimings>;
  /** How long a submitted job a dead or frozen worker had read sits before another moves it (default 5 s). */
  intakeClaimIdleMs?: number;
  /** How many submitted jobs may wait in the intake, in all and per workspace (default DEFAULT_SUBMIT_LIMITS). */
  submitLimits?: SubmitLimits;
}): JobQueue {
  const { url, queueName = 'lore', lanes = {} } = opts;
  const timings = { ...DEFAULT_FAIRNESS, ...opts.fairness };
  const logger = opts.logger.child({ component: 'bullmq-queue', queue: queueName });
  // Producers fail fast when Redis is down (an enqueue must not hang a Slack ack); the worker waits it out.
  const producer = createRedisConnection(url, {
    connectionName: 'lore:queue',
    maxRetriesPerRequest: 2,
    logger,
  });
  const newQueue = (name: string) => {
    const q = new Queue(name, {
      connection: producer,
      prefix: BULLMQ_PREFIX,
      defaultJobOptions: {
        removeOnComplete: { count: KEEP_FINISHED_JOBS },
        removeOnFail: { count: KEEP_FINISHED_JOBS },
      },
    });
    q.on('error', (err: Error) => logger.error({ err, queue: name }, 'queue error'));
    return q;
  };
  // undefined is the default lane.
  const queues = new Map<string | undefined, Queue>([[undefined, newQueue(queueName)]]);
  for (const lane of Object.keys(lanes)) queues.set(lane, newQueue(`${queueName}-${lane}`));
  const queueFor = (jobName: string) => queues.get(laneOf(lanes, jobName)) as Queue;
  const allQueues = () => [...queues.values()];
  const workers: Worker[] = [];
  const sweeps: NodeJS.Timeout[] = [];
  let workerConnection: Redis | undefined;
  // Its own connection, auto-pipelined: every question's XADD goes through it, and those of the requests
  // in one turn of the event loop share a socket write. BullMQ's connections stay as BullMQ expects them.
  const intakeConnection = createRedisConnection(url, {
    connectionName: 'lore:intake',
    maxRetriesPerRequest: 2,
    logger,
    autoPipelining: true,
  });
  const intake = createIntakeStream({
    client: intakeConnection,
    blockingClient: () => (workerConnection as Redis).duplicate({ connectionName: 'lore:intake-mover' }),
    queueName,
    logger,
    claimIdleMs: opts.intakeClaimIdleMs,
    limits: opts.submitLimits,
  });
  let closed: Promise<void> | undefined;

  async function run(
    handlers: Record<string, JobHandler>,
    fair: FairLane | undefined,
    job: Job,
    token?: string,
  ): Promise<void> {
    const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
    // Unrecoverable: waiting will not give an unknown name a handler, so it goes straight to failed.
    if (!handler) throw new UnrecoverableError(unknownJobError(job.name).message);
    const work = () => runHandler(handler, job, token);
    return fair ? runInTenantSlot(fair, job, token, work) : work();
  }

  async function runHandler(handler: JobHandler, job: Job, token?: string): Promise<void> {
    // attemptsMade counts finished tries, so the running one is the next.
    try {
      await handler(job.data, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        name: job.name,
        queuedAt: job.timestamp,
      });
    } catch (err) {
      if (isUnrecoverable(err)) throw new UnrecoverableError(errorMessage(err));
      if (!(err instanceof RetryLaterError)) throw err;
      // BullMQ's way to run a job later without counting the try against its attempts.
      await job.moveToDelayed(Date.now() + err.delayMs, token);
      throw new DelayedError();
    }
  }

  const self: JobQueue = {
    kind: 'bullmq',

    async enqueue(name, payload, jobOpts = {}) {
      // Said plainly here; otherwise the caller would get ioredis's bare 'Connection is closed'.
      if (closed) throw unavailable('The job queue is closed');
      if (jobOpts.jobId !== undefined) assertValidJobId(jobOpts.jobId);
      const { dedupe } = jobOpts;
      const jobId = dedupe ? dedupedJobId(name, dedupe) : jobOpts.jobId;
      // BullMQ stores `undefined` data as {}; saying so here keeps both adapters identical.
      const job = await queueFor(name).add(name, payload === undefined ? {} : payload, {
        jobId,
        // Checked and recorded inside the add's own script: the key keeps its TTL after the job finishes.
        deduplication: dedupe ? { id: dedupe.id, ttl: dedupe.forMs } : undefined,
        attempts: jobOpts.attempts ?? DEFAULT_ATTEMPTS,
        backoff: {
          type: 'exponential',
          delay: jobOpts.backoffMs ?? DEFAULT_BACKOFF_MS,
          jitter: BACKOFF_JITTER,
        },
        delay: jobOpts.delayMs,
      });
      const id = job.id ?? '';
      // The script answers the standing job's id when the dedupe id was taken, and ours when it added.
      return dedupe ? { id, duplicate: id !== jobId } : { id };
    },

    async submit(name, payload, jobOpts) {
      if (closed) throw unavailable('The job queue is closed');
      assertSubmittable(jobOpts);
      await intake.submit(name, payload, jobOpts);
    },

    async schedule(key, name, payload, scheduleOpts) {
      if (closed) throw unavailable('The job queue is closed');
      if (!(scheduleOpts.everyMs > 0))
        throw new RangeError('everyMs must be a positive number of milliseconds');
      // A job scheduler lives in Redis: replicas upserting the same key share one schedule.
      await queueFor(name).upsertJobScheduler(
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
      const removed = await Promise.all(allQueues().map((q) => q.removeJobScheduler(key)));
      return removed.some(Boolean);
    },

    async startWorker(handlers, workerOpts = {}) {
      if (workers.length > 0) throw workerRunning();
      if (closed) throw unavailable('The job queue is closed');
      // Lazy: BullMQ duplicates this for its own connections, so the template itself never connects.
      workerConnection = createRedisConnection(url, {
        connectionName: 'lore:worker',
        maxRetriesPerRequest: null,
        lazyConnect: true,
        logger,
      });
      const limit = tenantLimit(workerOpts);
      for (const [lane, q] of queues) {
        // Slots are counted in Redis per lane queue, so every worker process shares one limit per tenant.
        const fair: FairLane | undefined =
          limit > 0
            ? {
                slots: createTenantSlots(producer, { queueName: q.name, limit, ttlMs: timings.slotTtlMs }),
                queue: q,
                timings,
                logger,
              }
            : undefined;
        const worker = new Worker(q.name, (job: Job, token?: string) => run(handlers, fair, job, token), {
          connection: workerConnection,
          prefix: BULLMQ_PREFIX,
          concurrency: laneConcurrency(workerOpts, lane),
        });
        worker.on('error', (err: Error) => logger.error({ err, queue: q.name }, 'worker error'));
        worker.on('failed', (job: Job | undefined, err: Error) => {
          logger.warn({ err, jobId: job?.id, jobName: job?.name, attempt: job?.attemptsMade }, 'job failed');
        });
        workers.push(worker);
        if (fair) {
          const sweep = setInterval(() => {
            sweepParked(fair).then(
              (woken) => {
                // Seen now and then when workers are busy (a woken job not yet started); often: wake-ups are lost.
                if (woken > 0) logger.info({ queue: q.name, woken }, 'parked jobs woken by the sweep');
              },
              (err: unknown) => logger.warn({ err, queue: q.name }, 'could not sweep parked jobs'),
            );
          }, timings.sweepMs);
          sweep.unref();
          sweeps.push(sweep);
        }
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      intake.startMover(async (name, payload, jobOpts) => {
        const added = await self.enqueue(name, payload, jobOpts);
        // Slack's retries of one event, or an entry moved again after a worker died mid-move.
        if (added.duplicate) logger.info({ jobName: name, jobId: added.id }, 'duplicate submit dropped');
      });
    },

    async counts() {
      const total = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const q of allQueues()) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k] ?? 0;
      }
      // Submitted jobs a worker has not moved into BullMQ yet wait too.
      total.waiting += await intake.length();
      return total;
    },

    async failed(limit = DEFAULT_FAILED_LIMIT): Promise<FailedJob[]> {
      if (limit <= 0) return [];
      const perQueue = await Promise.all(allQueues().map((q) => q.getFailed(0, limit - 1)));
      return perQueue
        .flat()
        .map((job) => ({
          id: job.id ?? '',
          name: job.name,
          payload: job.data,
          attempts: job.attemptsMade,
          error: job.failedReason ?? '',
          failedAt: new Date(job.finishedOn ?? job.timestamp),
        }))
        .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
        .slice(0, limit);
    },

    async retryFailed(jobId) {
      for (const q of allQueues()) {
        const job = await q.getJob(jobId);
        if (!job || (await job.getState()) !== 'failed') continue;
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      }
      return false;
    },

    async discardFailed(jobId) {
      for (const q of allQueues()) {
        const job = await q.getJob(jobId);
        if (!job || (await job.getState()) !== 'failed') continue;
        await job.remove();
        return true;
      }
      return false;
    },

    async waiting(waitOpts = {}) {
      const sample = Math.max(1, Math.floor(waitOpts.sample ?? WAITING_SAMPLE));
      const jobs: Array<{ name: string; queuedAt: number; ready: boolean }> = [];
      let sampled = false;
      // Exact counts per lane come cheap (LLEN/ZCARD); only the oldest `sample` jobs of each state are read.
      for (const q of allQueues()) {
        const counts = await q.getJobCounts('wait', 'prioritized', 'delayed');
        for (const state of ['wait', 'prioritized', 'delayed'] as const) {
          if ((counts[state] ?? 0) === 0) continue;
          if ((counts[state] ?? 0) > sample) sampled = true;
          // asc: the wait list's oldest first; the delayed set's soonest due first.
          const read = await q.getJobs([state], 0, sample - 1, true);
          for (const job of read)
            jobs.push({ name: job.name, queuedAt: job.timestamp, ready: state !== 'delayed' });
        }
      }
      const submitted = await intake.oldest(sample);
      if (submitted.length >= sample) sampled = true;
      for (const job of submitted) jobs.push({ ...job, ready: true });
      return groupWaiting(jobs, sampled);
    },

    ping: () => pingRedis(producer),

    close() {
      closed ??= (async () => {
        for (const sweep of sweeps) clearInterval(sweep);
        // Together: Worker.close() stops taking jobs the moment it is called (and, without force, lets
        // active jobs finish before it returns), so a job that ends while the mover is still stopping
        // does not let the worker fetch the next one.
        await Promise.all([intake.stop(), ...workers.map((w) => w.close())]);
        await Promise.all(allQueues().map((q) => q.close()));
        await closeRedis(producer);
        await closeRedis(intakeConnection);
        if (workerConnection) await closeRedis(workerConnection);
      })();
      return closed;
    },
  };
  return self;
}
