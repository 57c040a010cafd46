import { unavailable, workerRunning } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  assertSubmittable,
  assertValidJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_FAILED_LIMIT,
  DEFAULT_SUBMIT_LIMITS,
  dedupedJobId,
  errorMessage,
  groupWaiting,
  isUnrecoverable,
  type JobCounts,
  type JobHandler,
  type JobLanes,
  type JobQueue,
  KEEP_FINISHED_JOBS,
  laneConcurrency,
  laneOf,
  RetryLaterError,
  retryDelayMs,
  type SubmitLimits,
  submitRefused,
  tenantLimit,
  unknownJobError,
  WAITING_SAMPLE,
  type WorkerOptions,
} from './job-queue.js';
import { createDedupeWindows } from './memory-dedupe.js';
import { tenantOfPayload } from './tenant-slots.js';

interface MemoryJob {
  id: string;
  name: string;
  /** undefined: the default lane. */
  lane: string | undefined;
  /** Whose job it is (payload `tenantId`), for the per-tenant limit; undefined for platform jobs. */
  tenant: string | undefined;
  payload: unknown;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  queuedAt: number;
  state: keyof JobCounts;
  error?: string;
  finishedAt?: number;
  timer?: NodeJS.Timeout;
}

/**
 * Creates the in-process queue for embedded single-process mode, with BullMQ's semantics: attempts,
 * exponential backoff, a failed list, jobId de-duplication, and a close that waits for running jobs.
 * Jobs live in memory only: a restart loses whatever had not run. Each lane waits and runs on its own.
 */
export function createMemoryQueue(opts: {
  logger: Logger;
  lanes?: JobLanes;
  /** How many jobs may wait in a submitted job's lane, in all and per workspace (default DEFAULT_SUBMIT_LIMITS). */
  submitLimits?: SubmitLimits;
}): JobQueue {
  const logger = opts.logger.child({ component: 'memory-queue' });
  const lanes = opts.lanes ?? {};
  const jobs = new Map<string, MemoryJob>();
  const waiting = new Map<string | undefined, string[]>();
  const running = new Map<string | undefined, number>();
  // Running jobs per lane and tenant, for WorkerOptions.tenantConcurrency (BullMQ keeps these in Redis).
  const runningForTenant = new Map<string, number>();
  const tenantKey = (job: MemoryJob) => `${job.lane ?? ''}\u0000${job.tenant}`;
  const waitingIn = (lane: string | undefined) => {
    const list = waiting.get(lane) ?? [];
    waiting.set(lane, list);
    return list;
  };
  // Insertion-ordered, so the first entry is always the oldest finished job.
  const finished = { completed: new Set<string>(), failed: new Set<string>() };
  const inFlight = new Set<Promise<void>>();
  let handlers: Record<string, JobHandler> | undefined;
  let workerOpts: WorkerOptions = {};
  const schedules = new Map<string, NodeJS.Timeout>();
  const dedupes = createDedupeWindows();
  let nextId = 1;
  let closing = false;
  let closed: Promise<void> | undefined;

  /** Throws `queue_full` when the job's lane holds as many waiting jobs as `submitLimits` allows. */
  function assertRoomToSubmit(name: string, payload: unknown): void {
    const limits = opts.submitLimits ?? DEFAULT_SUBMIT_LIMITS;
    const list = waitingIn(laneOf(lanes, name));
    // The list can still hold jobs that left it (dropped when next met); count only when it could be at a limit.
    if (list.length < Math.min(limits.waiting, limits.waitingPerTenant)) return;
    const tenant = tenantOfPayload(payload);
    let all = 0;
    let ofTenant = 0;
    for (const id of list) {
      const job = jobs.get(id);
      if (job?.state !== 'waiting') continue;
      all++;
      if (tenant !== undefined && job.tenant === tenant) ofTenant++;
    }
    if (all >= limits.waiting) throw submitRefused('platform', limits);
    if (ofTenant >= limits.waitingPerTenant) throw submitRefused('workspace', limits);
  }

  function makeWaiting(job: MemoryJob): void {
    job.state = 'waiting';
    waitingIn(job.lane).push(job.id);
    pump();
  }

  function delay(job: MemoryJob, ms: number): void {
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      makeWaiting(job);
    }, ms);
    // Shutdown must not wait on a retry scheduled for later; close() clears these anyway.
    job.timer.unref();
  }

  function finish(job: MemoryJob, state: 'completed' | 'failed'): void {
    job.state = state;
    job.finishedAt = Date.now();
    const list = finished[state];
    list.add(job.id);
    // Dropping the oldest mirrors BullMQ's removeOnComplete/removeOnFail counts.
    for (const id of list) {
      if (list.size <= KEEP_FINISHED_JOBS) break;
      list.delete(id);
      jobs.delete(id);
    }
  }

  async function execute(job: MemoryJob, jobHandlers: Record<string, JobHandler>): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const handler = Object.hasOwn(jobHandlers, job.name) ? jobHandlers[job.name] : undefined;
    try {
      if (!handler) throw unknownJobError(job.name);
      await handler(job.payload, { jobId: job.id, attempt, name: job.name, queuedAt: job.queuedAt });
      job.attemptsMade = attempt;
      finish(job, 'completed');
    } catch (err) {
      // A dependency was down: try again later, the attempt not spent (as BullMQ's DelayedError).
      if (err instanceof RetryLaterError) return delay(job, err.delayMs);
      job.attemptsMade = attempt;
      job.error = errorMessage(err);
      // An unknown name will not gain a handler by waiting, so it fails at once; so does an unrecoverable error.
      if (handler && attempt < job.attempts && !isUnrecoverable(err)) {
        logger.warn({ err, jobId: job.id, jobName: job.name, attempt }, 'job failed, will retry');
        delay(job, retryDelayMs(job.backoffMs, attempt));
      } else {
        logger.error({ err, jobId: job.id, jobName: job.name, attempt }, 'job failed');
        finish(job, 'failed');
      }
    }
  }

  /** Takes the oldest waiting job of the lane whose tenant is under its limit (the rest keep their place). */
  function takeNext(list: string[]): MemoryJob | undefined {
    const limit = tenantLimit(workerOpts);
    for (let i = 0; i < list.length; i++) {
      const job = jobs.get(list[i] ?? '');
      if (job?.state !== 'waiting') {
        list.splice(i--, 1);
        continue;
      }
      if (limit > 0 && job.tenant && (runningForTenant.get(tenantKey(job)) ?? 0) >= limit) continue;
      list.splice(i, 1);
      return job;
    }
    return undefined;
  }

  function countTenant(job: MemoryJob, by: number): void {
    if (!job.tenant) return;
    const key = tenantKey(job);
    const n = (runningForTenant.get(key) ?? 0) + by;
    if (n > 0) runningForTenant.set(key, n);
    else runningForTenant.delete(key);
  }

  function pump(): void {
    if (!handlers || closing) return;
    for (const [lane, list] of waiting) {
      while ((running.get(lane) ?? 0) < laneConcurrency(workerOpts, lane)) {
        const job = takeNext(list);
        if (!job) break;
        job.state = 'active';
        running.set(lane, (running.get(lane) ?? 0) + 1);
        countTenant(job, 1);
        const run: Promise<void> = execute(job, handlers).finally(() => {
          inFlight.delete(run);
          running.set(lane, (running.get(lane) ?? 1) - 1);
          countTenant(job, -1);
          pump();
        });
        inFlight.add(run);
      }
    }
  }

  const self: JobQueue = {
    kind: 'memory',

    async submit(name, payload, jobOpts) {
      assertSubmittable(jobOpts);
      assertRoomToSubmit(name, payload);
      await self.enqueue(name, payload, jobOpts);
    },

    async enqueue(name, payload, jobOpts = {}) {
      if (closing) throw unavailable('The job queue is closed');
      if (jobOpts.jobId !== undefined) {
        assertValidJobId(jobOpts.jobId);
        if (jobs.has(jobOpts.jobId)) return { id: jobOpts.jobId };
      }
      const { dedupe } = jobOpts;
      const lane = laneOf(lanes, name);
      const id = dedupe ? dedupedJobId(name, dedupe) : (jobOpts.jobId ?? String(nextId++));
      // Per lane, as BullMQ keeps a dedupe key per queue.
      const dedupeKey = `${lane ?? ''}\u0000${dedupe?.id}`;
      const standing = dedupe && dedupes.standing(dedupeKey);
      if (standing !== undefined) return { id: standing, duplicate: true };
      const job: MemoryJob = {
        id,
        name,
        lane,
        tenant: tenantOfPayload(payload),
        // The JSON round trip BullMQ makes, so a payload that would not survive Redis fails here too.
        payload: JSON.parse(JSON.stringify(payload === undefined ? {} : payload)),
        attempts: jobOpts.attempts ?? DEFAULT_ATTEMPTS,
        backoffMs: jobOpts.backoffMs ?? DEFAULT_BACKOFF_MS,
        attemptsMade: 0,
        queuedAt: Date.now(),
        state: 'waiting',
      };
      jobs.set(id, job);
      if (dedupe) dedupes.record(dedupeKey, id, dedupe.forMs);
      if (jobOpts.delayMs && jobOpts.delayMs > 0) delay(job, jobOpts.delayMs);
      else makeWaiting(job);
      return dedupe ? { id, duplicate: false } : { id };
    },

    async schedule(key, name, payload, scheduleOpts) {
      if (closing) throw unavailable('The job queue is closed');
      if (!(scheduleOpts.everyMs > 0))
        throw new RangeError('everyMs must be a positive number of milliseconds');
      clearInterval(schedules.get(key));
      const timer = setInterval(() => {
        self
          .enqueue(name, payload)
          .catch((err: unknown) => logger.error({ err, schedule: key }, 'scheduled job not queued'));
      }, scheduleOpts.everyMs);
      // A schedule must never keep a stopping process alive.
      timer.unref();
      schedules.set(key, timer);
    },

    async unschedule(key) {
      const timer = schedules.get(key);
      clearInterval(timer);
      return schedules.delete(key);
    },

    async startWorker(jobHandlers, opts = {}) {
      if (handlers) throw workerRunning();
      if (closing) throw unavailable('The job queue is closed');
      workerOpts = opts;
      handlers = jobHandlers;
      pump();
    },

    async counts() {
      const counts: JobCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
      for (const job of jobs.values()) counts[job.state] += 1;
      return counts;
    },

    async failed(limit = DEFAULT_FAILED_LIMIT) {
      const newestFirst = [...finished.failed].reverse().slice(0, limit);
      return newestFirst.flatMap((id) => {
        const job = jobs.get(id);
        if (!job) return [];
        const { name, payload, attemptsMade, error = '', finishedAt = 0 } = job;
        return [{ id, name, payload, attempts: attemptsMade, error, failedAt: new Date(finishedAt) }];
      });
    },

    async retryFailed(jobId) {
      const job = jobs.get(jobId);
      if (job?.state !== 'failed' || closing) return false;
      finished.failed.delete(jobId);
      job.attemptsMade = 0;
      job.error = undefined;
      job.finishedAt = undefined;
      makeWaiting(job);
      return true;
    },

    async discardFailed(jobId) {
      const job = jobs.get(jobId);
      if (job?.state !== 'failed') return false;
      finished.failed.delete(jobId);
      jobs.delete(jobId);
      return true;
    },

    async waiting(waitOpts = {}) {
      const sample = Math.max(1, Math.floor(waitOpts.sample ?? WAITING_SAMPLE));
      // Read as BullMQ's adapter does: at most `sample` jobs of each state in each lane, the oldest first.
      const read = new Map<string, number>();
      const picked: Array<{ name: string; queuedAt: number; ready: boolean }> = [];
      let sampled = false;
      // The map keeps insertion order, which is queuedAt order: the oldest come first.
      for (const job of jobs.values()) {
        if (job.state !== 'waiting' && job.state !== 'delayed') continue;
        const key = `${job.lane ?? ''}\u0000${job.state}`;
        const n = (read.get(key) ?? 0) + 1;
        read.set(key, n);
        if (n > sample) sampled = true;
        else picked.push({ name: job.name, queuedAt: job.queuedAt, ready: job.state === 'waiting' });
      }
      return groupWaiting(picked, sampled);
    },

    async ping() {
      if (closing) throw unavailable('The job queue is closed');
    },

    close() {
      closing = true;
      for (const timer of schedules.values()) clearInterval(timer);
      schedules.clear();
      closed ??= (async () => {
        await Promise.all(inFlight);
        for (const job of jobs.values()) clearTimeout(job.timer);
      })();
      return closed;
    },
  };
  return self;
}
