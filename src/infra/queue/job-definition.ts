import type { z } from 'zod';
import { invalidJobPayload } from '../../errors.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type EnqueueResult,
  type JobContext,
  type JobHandler,
  type JobOptions,
  type JobQueue,
} from './job-queue.js';

/** What a job is: one per `*.job.ts`, listed once in `src/jobs/registry.ts`. */
export interface JobSpec<S extends z.ZodType, D> {
  /** The job's name in the queue (stable: queued jobs and schedules refer to it). */
  readonly name: string;
  /** The payload, checked when the job is queued and again when it runs (a stale payload in Redis). */
  readonly schema: S;
  /** Total tries, the first included (default 3). */
  readonly attempts?: number;
  /** Wait before the first retry, doubled for each later one (default 1000 ms). */
  readonly backoffMs?: number;
  /** The queue lane the job runs in; unset: the default lane (see `JobLanes`). */
  readonly lane?: string;
  /** Idempotency key: queueing a payload with the same id again is a no-op. Unset: the caller may give one. */
  jobId?(payload: z.output<S>): string;
  /**
   * Instead of `jobId`: at most one job per `id(payload)` within `forMs` (`JobDedupe`), checked in the same
   * step as the add; `enqueueJob` then says whether an earlier job stood in (`duplicate`).
   */
  readonly dedupe?: { id(payload: z.output<S>): string; forMs: number };
  /** Builds the handler once per worker from the services it needs (method syntax: any superset fits). */
  handler(deps: D): (payload: z.output<S>, ctx: JobContext) => Promise<void>;
}

/** A job as the queue and the worker use it: its spec with the defaults filled in. */
export interface JobDefinition<S extends z.ZodType, D> extends JobSpec<S, D> {
  readonly attempts: number;
  readonly backoffMs: number;
  /** The handler the worker registers: the payload is checked against the schema before it runs. */
  bind(deps: D): JobHandler;
}

/** The services a definition's handler needs. */
export type JobDeps<J> = J extends JobDefinition<z.ZodType, infer D> ? D : never;

/** Defines a job. A payload that fails the schema when the job runs fails it at once, without retries. */
export function defineJob<S extends z.ZodType, D>(spec: JobSpec<S, D>): JobDefinition<S, D> {
  const def: JobDefinition<S, D> = {
    ...spec,
    attempts: spec.attempts ?? DEFAULT_ATTEMPTS,
    backoffMs: spec.backoffMs ?? DEFAULT_BACKOFF_MS,
    bind(deps) {
      const run = spec.handler(deps);
      return async (raw, ctx) => {
        const parsed = spec.schema.safeParse(raw);
        // Retrying cannot fix a payload, so the queue must not try again.
        if (!parsed.success)
          throw Object.assign(invalidJobPayload(spec.name, parsed.error), { unrecoverable: true });
        await run(parsed.data, ctx);
      };
    },
  };
  return def;
}

/**
 * Queues one run of `def`: the payload is checked against its schema (a specific `invalid_job_payload` error,
 * nothing queued), and its job id, attempts and backoff come from the definition. `opts.jobId` is for jobs
 * keyed by whoever queues them (one `admin-dm` per person of a warning or announcement).
 */
export async function enqueueJob<S extends z.ZodType>(
  queue: Pick<JobQueue, 'enqueue'>,
  def: QueueableDefinition<S>,
  payload: z.input<S>,
  opts: { jobId?: string; delayMs?: number } = {},
): Promise<EnqueueResult> {
  const job = checkedJob(def, payload, opts);
  return queue.enqueue(def.name, job.payload, job.opts);
}

/**
 * `enqueueJob` for a request path that only needs the job durable (`JobQueue.submit`): checked the same way,
 * added by a worker moments later. Only for a definition with `dedupe` or `jobId`, which makes that add safe
 * to repeat.
 */
export async function submitJob<S extends z.ZodType>(
  queue: Pick<JobQueue, 'submit'>,
  def: QueueableDefinition<S>,
  payload: z.input<S>,
): Promise<void> {
  const job = checkedJob(def, payload, {});
  await queue.submit(def.name, job.payload, job.opts);
}

type QueueableDefinition<S extends z.ZodType> = Pick<
  JobDefinition<S, never>,
  'name' | 'schema' | 'attempts' | 'backoffMs' | 'jobId' | 'dedupe'
>;

/** The payload checked against the definition's schema, and the options its definition gives the job. */
function checkedJob<S extends z.ZodType>(
  def: QueueableDefinition<S>,
  payload: z.input<S>,
  opts: { jobId?: string; delayMs?: number },
): { payload: z.output<S>; opts: JobOptions } {
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) throw invalidJobPayload(def.name, parsed.error);
  const common = { attempts: def.attempts, backoffMs: def.backoffMs, delayMs: opts.delayMs };
  if (def.dedupe)
    return {
      payload: parsed.data,
      opts: { ...common, dedupe: { id: def.dedupe.id(parsed.data), forMs: def.dedupe.forMs } },
    };
  return { payload: parsed.data, opts: { ...common, jobId: opts.jobId ?? def.jobId?.(parsed.data) } };
}

/** The queue lanes of a list of definitions: lane name → the job names it carries. */
export function lanesOf(defs: readonly { name: string; lane?: string }[]): Record<string, string[]> {
  const lanes: Record<string, string[]> = {};
  for (const d of defs) if (d.lane) lanes[d.lane] = [...(lanes[d.lane] ?? []), d.name];
  return lanes;
}
