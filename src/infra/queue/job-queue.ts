import { randomBytes } from 'node:crypto';
import { type AppError, invalidJobId, queueFull, unknownJob } from '../../errors.js';

/**
 * The job queue port: web enqueues, the worker runs handlers by job name. Two adapters implement it:
 * BullMQ on Redis (`bullmq-queue.ts`) and an in-process queue for embedded mode (`memory-queue.ts`).
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'memory';
  /**
   * Adds a job; a `jobId` already in the queue makes this a no-op that returns the same id. With `dedupe`, an
   * add within the window of an earlier one with the same dedupe id is a no-op too: it answers that job's id
   * and `duplicate: true`.
   */
  enqueue(name: string, payload: unknown, opts?: JobOptions): Promise<EnqueueResult>;
  /**
   * Accepts a job for a worker to add, for request paths that only need it durable (a Slack acknowledgement):
   * on BullMQ one XADD to the queue's intake stream, moved into BullMQ by a worker with these options (so a
   * `dedupe` or `jobId` duplicate is dropped there, and the caller is not told); in process, `enqueue`.
   */
  submit(name: string, payload: unknown, opts: JobOptions): Promise<void>;
  /**
   * Enqueues job `name` with `payload` every `opts.everyMs` (the first run within one interval) until
   * unscheduled. Scheduling an existing `key` again replaces it, so every process may call this at startup.
   */
  schedule(key: string, name: string, payload: unknown, opts: { everyMs: number }): Promise<void>;
  /** Stops a schedule (jobs already queued still run); false when there was none. */
  unschedule(key: string): Promise<boolean>;
  /** Starts running jobs with the handler registered for each job name, each lane with its own concurrency. */
  startWorker(handlers: Record<string, JobHandler>, opts?: WorkerOptions): Promise<void>;
  /** How many jobs are in each state. */
  counts(): Promise<JobCounts>;
  /** Jobs that used up their attempts, newest first: what the operator sees. */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Runs a failed job again with a fresh set of attempts; false when no such failed job exists. */
  retryFailed(jobId: string): Promise<boolean>;
  /** Removes a failed job for good (it never runs again); false when no such failed job exists. */
  discardFailed(jobId: string): Promise<boolean>;
  /**
   * The jobs still to run, by job name: how many wait and since when the oldest ready one was queued. Reads
   * at most `sample` jobs (default WAITING_SAMPLE) of each state in each lane, oldest first, so it costs the
   * same however long the queue grows; `sampled` says a lane held more than that.
   */
  waiting(opts?: { sample?: number }): Promise<WaitingJobs>;
  /** Resolves when the queue's backend answers; throws AppError `unavailable` when it does not. */
  ping(): Promise<void>;
  /** Stops taking new jobs, waits for in-flight ones to finish, then closes connections. */
  close(): Promise<void>;
}

/**
 * Lanes keep slow work from delaying urgent work: each lane is a queue of its own with its own concurrency,
 * so an answer never waits behind a tenant's document ingestion. Lane name → the job names it carries;
 * every other job runs in the default lane. Web and worker processes must be given the same lanes.
 */
export type JobLanes = Readonly<Record<string, readonly string[]>>;

export interface WorkerOptions {
  /** Jobs of the default lane run at once (default 4). */
  concurrency?: number;
  /** Jobs of each named lane run at once (default 1). */
  laneConcurrency?: Readonly<Record<string, number>>;
  /**
   * Jobs of one tenant (payload `tenantId`) that run at once in each lane, across every worker; 0 or unset:
   * no limit. A job over it waits, spending no attempt, so one workspace's burst cannot hold every slot.
   */
  tenantConcurrency?: number;
}

/** The per-tenant limit in force (0: none). */
export function tenantLimit(opts: WorkerOptions): number {
  const n = opts.tenantConcurrency ?? 0;
  return n > 0 ? Math.floor(n) : 0;
}

/** The lane that carries `jobName`, or undefined for the default lane. */
export function laneOf(lanes: JobLanes, jobName: string): string | undefined {
  for (const [lane, names] of Object.entries(lanes)) if (names.includes(jobName)) return lane;
  return undefined;
}

/** How many jobs of `lane` (undefined: the default lane) run at once. */
export function laneConcurrency(opts: WorkerOptions, lane: string | undefined): number {
  const n =
    lane === undefined ? (opts.concurrency ?? DEFAULT_CONCURRENCY) : (opts.laneConcurrency?.[lane] ?? 1);
  return Math.max(1, Math.floor(n));
}

/** What `JobQueue.enqueue` answers: the job's id, and with `dedupe`, whether an earlier add stood in. */
export interface EnqueueResult {
  id: string;
  /** Set only for an add with `dedupe`: true when the job was not added because an earlier one stands. */
  duplicate?: boolean;
}

/**
 * At most one job per `id` is added within `forMs` of the first, whatever became of that job since (ran,
 * failed, dropped from the finished list). The check and the add are one step (on BullMQ, its add script's
 * own deduplication: one Lua call), so two deliveries racing each other never both add, and a failed add
 * leaves nothing behind to block the next try. The queue names such a job (`<name>-<id>-<unique suffix>`):
 * a fresh name for every add is how an answer tells "added" from "an earlier one stands".
 */
export interface JobDedupe {
  id: string;
  forMs: number;
}

export type JobOptions = BaseJobOptions &
  (
    | {
        /** Idempotency key: enqueueing the same id again is a no-op. Not an integer, no ':' (BullMQ's rules). */
        jobId?: string;
        dedupe?: undefined;
      }
    | { dedupe: JobDedupe; jobId?: undefined }
  );

interface BaseJobOptions {
  /** Total tries, the first included. Default 3. */
  attempts?: number;
  /** Wait before the first retry; each later retry waits twice as long. Default 1000. */
  backoffMs?: number;
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface JobContext {
  jobId: string;
  /** 1 on the first try, 2 on the first retry, and so on. */
  attempt: number;
  name: string;
  /** When the job was first queued (epoch ms); both queues set it, direct callers (the playground) need not. */
  queuedAt?: number;
}

/**
 * Thrown by a handler whose dependency is down (the database mid-restart): the job runs again after
 * `delayMs` without spending one of its attempts, which are for failures of the job itself.
 */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    cause: unknown,
  ) {
    super(`retry in ${delayMs} ms: ${errorMessage(cause)}`, { cause });
    this.name = 'RetryLaterError';
  }
}

export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: string;
  failedAt: Date;
}

/** What `JobQueue.waiting` answers. */
export interface WaitingJobs {
  /** Job names with a job waiting, the longest-waiting first (then by name). */
  byName: WaitingJobsOfName[];
  /** True when a lane held more waiting jobs than were read: the counts are then lower bounds. */
  sampled: boolean;
}

export interface WaitingJobsOfName {
  name: string;
  /** Jobs not yet running: ready to run (BullMQ's waiting and prioritized) or delayed (a retry, a delay). */
  waiting: number;
  /**
   * When the oldest job ready to run was queued; null when every waiting job is delayed (a retry's backoff or
   * a later run: its age says nothing about a backlog). On BullMQ a job over its tenant's limit is parked in
   * the delayed set too, so it is counted without an age; the in-process queue keeps it waiting, with one.
   */
  oldestQueuedAt: Date | null;
}

/** Jobs read per state and lane by `JobQueue.waiting`: enough to see a backlog, few enough for every refresh. */
export const WAITING_SAMPLE = 200;

/** Groups waiting jobs by name for `JobQueue.waiting`; `ready` is false for a delayed job. */
export function groupWaiting(
  jobs: Iterable<{ name: string; queuedAt: number; ready: boolean }>,
  sampled: boolean,
): WaitingJobs {
  const byName = new Map<string, { waiting: number; oldest: number | null }>();
  for (const job of jobs) {
    const entry = byName.get(job.name) ?? { waiting: 0, oldest: null };
    entry.waiting += 1;
    if (job.ready && (entry.oldest === null || job.queuedAt < entry.oldest)) entry.oldest = job.queuedAt;
    byName.set(job.name, entry);
  }
  const rows = [...byName].map(([name, e]) => ({
    name,
    waiting: e.waiting,
    oldestQueuedAt: e.oldest === null ? null : new Date(e.oldest),
  }));
  const age = (r: WaitingJobsOfName) => r.oldestQueuedAt?.getTime() ?? Number.POSITIVE_INFINITY;
  rows.sort((a, b) => age(a) - age(b) || a.name.localeCompare(b.name));
  return { byName: rows, sampled };
}

export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1_000;
// Jobs wait on Slack and OpenAI far more than on CPU, so a few run side by side.
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_FAILED_LIMIT = 50;
/** Finished jobs kept for the operator (and for jobId de-duplication) before the oldest are dropped. */
export const KEEP_FINISHED_JOBS = 1_000;

/** The wait before retry number `retry` (1-based): backoffMs doubled for every earlier retry. */
export function retryDelayMs(backoffMs: number, retry: number): number {
  return backoffMs * 2 ** (retry - 1);
}

// What makes each deduped job's name unique: this process's random tag and a count. Drawing random bytes for
// every add cost 4.5% of the web process's busy time under a burst of events (CPU profile, event-ack).
const PROCESS_TAG = randomBytes(4).toString('hex');
let addsInThisProcess = 0;

/**
 * The name of a job added with `dedupe` (see `JobDedupe`). Both adapters refuse the same bad windows: a dedupe
 * id that makes an invalid job id (`invalid_job_id`), and a window that is not a whole, positive number of
 * milliseconds (a RangeError: BullMQ would keep a key with no TTL until the job ends, the in-process queue none).
 */
export function dedupedJobId(name: string, dedupe: JobDedupe): string {
  if (!(Number.isInteger(dedupe.forMs) && dedupe.forMs > 0))
    throw new RangeError('dedupe.forMs must be a positive whole number of milliseconds');
  addsInThisProcess += 1;
  const id = `${name}-${dedupe.id}-${PROCESS_TAG}${addsInThisProcess.toString(36)}`;
  assertValidJobId(id);
  return id;
}

/**
 * What `JobQueue.submit` takes: a job a worker may add twice (a move repeated after a crash) only with a
 * `dedupe` or a `jobId`, which make the second add a no-op; and an id BullMQ can store.
 */
export function assertSubmittable(opts: JobOptions): void {
  if (opts.dedupe === undefined && opts.jobId === undefined)
    throw new RangeError('submit needs a dedupe or a jobId: a job added twice would run twice');
  if (opts.jobId !== undefined) assertValidJobId(opts.jobId);
}

/**
 * Bounds on submitted jobs not yet taken into the queue (`JobQueue.submit`): on BullMQ the intake entries no
 * worker has moved (workers down or not keeping up), in process the lane's waiting jobs. Without them a
 * backlog grows in Redis or in memory for as long as the workers are away, and one workspace's flood of
 * events takes the room of every other; past either, `submit` throws `queue_full` (a 503, so Slack delivers
 * the event again later) and nothing is queued.
 */
export interface SubmitLimits {
  /** Submitted jobs waiting, all workspaces together. */
  waiting: number;
  /** Submitted jobs of one workspace (the payload's `tenantId`) waiting. */
  waitingPerTenant: number;
}

/** 50,000 waiting answer jobs are 50-100 MB in Redis; 1,000 is more than a workspace asks in an hour. */
export const DEFAULT_SUBMIT_LIMITS: SubmitLimits = { waiting: 50_000, waitingPerTenant: 1_000 };

/** The error a submit past one of the limits gets. */
export function submitRefused(scope: 'platform' | 'workspace', limits: SubmitLimits): AppError {
  const limit = scope === 'platform' ? limits.waiting : limits.waitingPerTenant;
  return queueFull(
    scope === 'platform'
      ? `The job intake is full (${limit} jobs waiting)`
      : `Too many of this workspace's jobs are waiting (${limit})`,
    { scope, limit },
  );
}

/** Throws unless `jobId` is one BullMQ accepts, so both adapters reject the same ids. */
export function assertValidJobId(jobId: string): void {
  // BullMQ numbers its own jobs, so an integer id could collide, and it uses ':' inside its keys.
  if (jobId === '' || String(Number.parseInt(jobId, 10)) === jobId || jobId.includes(':')) {
    throw invalidJobId(jobId);
  }
}

/** The error a job fails with when no handler is registered for its name. */
export function unknownJobError(name: string): AppError {
  return unknownJob(name);
}

/**
 * True for a failure no retry can fix (an error with `unrecoverable: true`): both adapters fail the job at
 * once instead of retrying it.
 */
export function isUnrecoverable(err: unknown): boolean {
  return (err as { unrecoverable?: unknown } | null | undefined)?.unrecoverable === true;
}

/** A failure's message as stored in the failed list. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
