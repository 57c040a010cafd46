import { AppError } from '../../errors.js';

/**
 * The job queue port: web enqueues, the worker runs handlers by job name. Two adapters implement it:
 * BullMQ on Redis (`bullmq-queue.ts`) and an in-process queue for embedded mode (`memory-queue.ts`).
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'memory';
  /** Adds a job; a `jobId` already in the queue makes this a no-op that returns the same id. */
  enqueue(name: string, payload: unknown, opts?: JobOptions): Promise<{ id: string }>;
  /**
   * Enqueues job `name` with `payload` every `opts.everyMs` (the first run within one interval) until
   * unscheduled. Scheduling an existing `key` again replaces it, so every process may call this at startup.
   */
  schedule(key: string, name: string, payload: unknown, opts: { everyMs: number }): Promise<void>;
  /** Stops a schedule (jobs already queued still run); false when there was none. */
  unschedule(key: string): Promise<boolean>;
  /** Starts running jobs with the handler registered for each job name. */
  startWorker(handlers: Record<string, JobHandler>, opts?: { concurrency?: number }): Promise<void>;
  /** How many jobs are in each state. */
  counts(): Promise<JobCounts>;
  /** Jobs that used up their attempts, newest first: what the operator sees. */
  failed(limit?: number): Promise<FailedJob[]>;
  /** Runs a failed job again with a fresh set of attempts; false when no such failed job exists. */
  retryFailed(jobId: string): Promise<boolean>;
  /** Resolves when the queue's backend answers; throws AppError `unavailable` when it does not. */
  ping(): Promise<void>;
  /** Stops taking new jobs, waits for in-flight ones to finish, then closes connections. */
  close(): Promise<void>;
}

export interface JobOptions {
  /** Idempotency key: enqueueing the same id again is a no-op. Not an integer, no ':' (BullMQ's rules). */
  jobId?: string;
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
}

export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: string;
  failedAt: Date;
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

/** Throws unless `jobId` is one BullMQ accepts, so both adapters reject the same ids. */
export function assertValidJobId(jobId: string): void {
  // BullMQ numbers its own jobs, so an integer id could collide, and it uses ':' inside its keys.
  if (jobId === '' || String(Number.parseInt(jobId, 10)) === jobId || jobId.includes(':')) {
    throw new AppError({
      code: 'invalid_job_id',
      message: `Job id "${jobId}" is not allowed: use a non-numeric id without ':'`,
      status: 500,
    });
  }
}

/** The error a job fails with when no handler is registered for its name. */
export function unknownJobError(name: string): AppError {
  return new AppError({
    code: 'unknown_job',
    message: `No handler is registered for job "${name}"`,
    status: 500,
  });
}

/** A failure's message as stored in the failed list. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
