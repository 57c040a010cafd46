import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import {
  type JobContext,
  type JobQueue,
  RetryLaterError,
  type SubmitLimits,
} from '../../src/infra/queue/job-queue.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createLogger } from '../../src/logger.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const eventually = { timeout: 5_000, interval: 10 };
/** Every harness has one lane besides the default: `slow` and `ingest` jobs run there. */
const SLOW_LANE = 'slow';
const LANES = { [SLOW_LANE]: ['slow', 'ingest'] };

interface Harness {
  queue: JobQueue;
  cleanup: () => Promise<void>;
}

/** The behaviour both adapters promise; every test gets a fresh, empty queue. */
function jobQueueContract(makeHarness: (opts: { submitLimits?: SubmitLimits }) => Harness): void {
  let harness: Harness | undefined;
  const fresh = (opts: { submitLimits?: SubmitLimits } = {}): JobQueue => {
    harness = makeHarness(opts);
    return harness.queue;
  };
  afterEach(async () => {
    await harness?.cleanup();
    harness = undefined;
  });

  it('runs a job once with its payload, even one enqueued before the worker started', async () => {
    const queue = fresh();
    const calls: Array<{ payload: unknown; ctx: JobContext }> = [];
    const { id } = await queue.enqueue('greet', { tenantId: 't1', text: 'hello' });
    expect(id).toEqual(expect.any(String));
    expect((await queue.counts()).waiting).toBe(1);
    await sleep(50);
    expect(calls).toHaveLength(0);

    const before = Date.now();
    await queue.startWorker({ greet: async (payload, ctx) => void calls.push({ payload, ctx }) });
    await vi.waitFor(async () => expect((await queue.counts()).completed).toBe(1), eventually);
    await sleep(100);
    expect(calls).toEqual([
      {
        payload: { tenantId: 't1', text: 'hello' },
        ctx: { jobId: id, attempt: 1, name: 'greet', queuedAt: expect.any(Number) },
      },
    ]);
    // Queued before the worker started, when it was enqueued.
    expect(calls[0]?.ctx.queuedAt).toBeLessThanOrEqual(before);
    expect(calls[0]?.ctx.queuedAt).toBeGreaterThan(before - 60_000);
    expect(await queue.counts()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
  });

  it('treats a repeated jobId as a no-op, before and after the job ran', async () => {
    const queue = fresh();
    const payloads: unknown[] = [];
    expect(await queue.enqueue('answer', { n: 1 }, { jobId: 'event-Ev1' })).toEqual({ id: 'event-Ev1' });
    expect(await queue.enqueue('answer', { n: 2 }, { jobId: 'event-Ev1' })).toEqual({ id: 'event-Ev1' });
    await queue.startWorker({ answer: async (payload) => void payloads.push(payload) });
    await vi.waitFor(() => expect(payloads).toHaveLength(1), eventually);

    expect(await queue.enqueue('answer', { n: 3 }, { jobId: 'event-Ev1' })).toEqual({ id: 'event-Ev1' });
    await sleep(200);
    expect(payloads).toEqual([{ n: 1 }]);
  });

  it('with dedupe: adds one job per dedupe id within its window, even after that job ran, and says so', async () => {
    const queue = fresh();
    const payloads: unknown[] = [];
    const dedupe = { id: 'Ev1', forMs: 60_000 };
    const first = await queue.enqueue('answer', { n: 1 }, { dedupe });
    expect(first).toEqual({
      id: expect.stringMatching(/^answer-Ev1-[0-9a-f]{8}[0-9a-z]+$/),
      duplicate: false,
    });
    // Two adds racing each other: neither adds.
    const racing = await Promise.all([2, 3].map((n) => queue.enqueue('answer', { n }, { dedupe })));
    expect(racing).toEqual([
      { id: first.id, duplicate: true },
      { id: first.id, duplicate: true },
    ]);
    await queue.startWorker({ answer: async (payload) => void payloads.push(payload) });
    await vi.waitFor(() => expect(payloads).toHaveLength(1), eventually);
    expect(await queue.enqueue('answer', { n: 4 }, { dedupe })).toEqual({ id: first.id, duplicate: true });
    // Another id is another job.
    const other = await queue.enqueue('answer', { n: 5 }, { dedupe: { id: 'Ev2', forMs: 60_000 } });
    expect(other.duplicate).toBe(false);
    await vi.waitFor(() => expect(payloads).toHaveLength(2), eventually);
    await sleep(100);
    expect(payloads).toEqual([{ n: 1 }, { n: 5 }]);
  });

  it('with dedupe: once the window has passed, the same id adds a new job', async () => {
    const queue = fresh();
    const dedupe = { id: 'EvShort', forMs: 150 };
    const first = await queue.enqueue('answer', { n: 1 }, { dedupe });
    expect((await queue.enqueue('answer', { n: 2 }, { dedupe })).duplicate).toBe(true);
    await sleep(250);
    const again = await queue.enqueue('answer', { n: 3 }, { dedupe });
    expect(again).toEqual({ id: expect.stringMatching(/^answer-EvShort-/), duplicate: false });
    expect(again.id).not.toBe(first.id);
    expect((await queue.counts()).waiting).toBe(2);
  });

  it('with dedupe: a dedupe id that would make an invalid job id, or a window that is not a positive whole number of ms, is refused, and nothing is recorded', async () => {
    const queue = fresh();
    await expect(queue.enqueue('answer', {}, { dedupe: { id: 'a:b', forMs: 60_000 } })).rejects.toMatchObject(
      {
        code: 'invalid_job_id',
      },
    );
    for (const forMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(queue.enqueue('answer', {}, { dedupe: { id: 'EvBad', forMs } })).rejects.toThrow(
        'dedupe.forMs must be a positive whole number of milliseconds',
      );
    }
    expect((await queue.counts()).waiting).toBe(0);
    // Nothing was recorded for the refused adds: the same id with a good window adds a job.
    expect((await queue.enqueue('answer', {}, { dedupe: { id: 'EvBad', forMs: 60_000 } })).duplicate).toBe(
      false,
    );
  });

  it('rejects job ids the queue cannot store', async () => {
    const queue = fresh();
    await expect(queue.enqueue('answer', {}, { jobId: 'tenant:event' })).rejects.toMatchObject({
      code: 'invalid_job_id',
    });
    await expect(queue.enqueue('answer', {}, { jobId: '42' })).rejects.toMatchObject({
      code: 'invalid_job_id',
    });
  });

  it('retries a failing job with growing backoff, then lists it as failed', async () => {
    const queue = fresh();
    const tries: Array<{ attempt: number; at: number }> = [];
    await queue.startWorker({
      flaky: async (_payload, ctx) => {
        tries.push({ attempt: ctx.attempt, at: Date.now() });
        throw new Error(`boom on try ${ctx.attempt}`);
      },
    });
    const before = Date.now();
    const { id } = await queue.enqueue('flaky', { doc: 'd1' }, { attempts: 3, backoffMs: 100 });

    await vi.waitFor(async () => expect(await queue.failed()).toHaveLength(1), eventually);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    const [t1, t2, t3] = tries.map((t) => t.at) as [number, number, number];
    // Lower bounds only: a busy machine makes a wait longer, never shorter. 100 ms, then 200 ms (grown:
    // a fixed backoff would retry after ~100 ms again), with room for timers firing a little early.
    expect(t2 - t1).toBeGreaterThanOrEqual(70);
    expect(t3 - t2).toBeGreaterThanOrEqual(150);

    const [failed] = await queue.failed();
    expect(failed).toMatchObject({
      id,
      name: 'flaky',
      payload: { doc: 'd1' },
      attempts: 3,
      error: 'boom on try 3',
    });
    expect(failed?.failedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(failed?.failedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await queue.counts()).toMatchObject({ failed: 1, completed: 0, delayed: 0 });
  });

  it('runs a job that asked to retry later again after its delay, without spending an attempt', async () => {
    const queue = fresh();
    const tries: Array<{ attempt: number; at: number }> = [];
    await queue.startWorker({
      answer: async (_payload, ctx) => {
        tries.push({ attempt: ctx.attempt, at: Date.now() });
        // The database is away for the first three tries: more than the job's one attempt.
        if (tries.length <= 3) throw new RetryLaterError(100, new Error('connect ECONNREFUSED'));
      },
    });
    await queue.enqueue('answer', { n: 1 }, { attempts: 1 });
    await vi.waitFor(async () => expect((await queue.counts()).completed).toBe(1), eventually);
    expect(tries.map((t) => t.attempt)).toEqual([1, 1, 1, 1]);
    for (let i = 1; i < tries.length; i++)
      expect((tries[i]?.at ?? 0) - (tries[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(70);
    expect(await queue.failed()).toEqual([]);
  });

  it('reruns a failed job on retryFailed with a fresh set of attempts', async () => {
    const queue = fresh();
    let broken = true;
    const runs: number[] = [];
    await queue.startWorker({
      ingest: async (_payload, ctx) => {
        runs.push(ctx.attempt);
        if (broken) throw new Error('parser crashed');
      },
    });
    const { id } = await queue.enqueue('ingest', { doc: 'd2' }, { attempts: 1 });
    await vi.waitFor(async () => expect((await queue.counts()).failed).toBe(1), eventually);
    expect(await queue.retryFailed('no-such-job')).toBe(false);

    broken = false;
    expect(await queue.retryFailed(id)).toBe(true);
    await vi.waitFor(async () => expect((await queue.counts()).completed).toBe(1), eventually);
    expect(runs).toEqual([1, 1]);
    expect(await queue.failed()).toEqual([]);
    expect(await queue.counts()).toMatchObject({ failed: 0 });
    expect(await queue.retryFailed(id)).toBe(false);
  });

  it('discards a failed job for good, and only a failed one', async () => {
    const queue = fresh();
    const runs: number[] = [];
    await queue.startWorker({
      ingest: async (_payload, ctx) => {
        runs.push(ctx.attempt);
        throw new Error('parser crashed');
      },
    });
    const { id } = await queue.enqueue('ingest', { doc: 'd3' }, { attempts: 1 });
    await vi.waitFor(async () => expect((await queue.counts()).failed).toBe(1), eventually);
    const later = await queue.enqueue('ingest', { doc: 'd4' }, { delayMs: 60_000 });
    expect(await queue.discardFailed('no-such-job')).toBe(false);
    // A job still to run is not the operator's to discard from the failed list.
    expect(await queue.discardFailed(later.id)).toBe(false);

    expect(await queue.discardFailed(id)).toBe(true);
    expect(await queue.failed()).toEqual([]);
    expect(await queue.counts()).toMatchObject({ failed: 0, delayed: 1 });
    expect(await queue.retryFailed(id)).toBe(false);
    expect(await queue.discardFailed(id)).toBe(false);
    await sleep(100);
    expect(runs).toEqual([1]);
  });

  it('reports waiting jobs by name, with when the oldest ready one was queued, from a bounded sample', async () => {
    const queue = fresh();
    const before = Date.now();
    // No worker: everything waits. Two lanes, one job delayed on purpose.
    await queue.enqueue('greet', { n: 1 });
    await sleep(20);
    const afterFirst = Date.now();
    await queue.enqueue('greet', { n: 2 });
    await queue.enqueue('greet', { n: 3 });
    await queue.enqueue('ingest', { doc: 'd5' });
    await queue.enqueue('later', {}, { delayMs: 60_000 });

    const all = await queue.waiting();
    expect(all.sampled).toBe(false);
    expect(all.byName.map((r) => [r.name, r.waiting])).toEqual([
      ['greet', 3],
      ['ingest', 1],
      ['later', 1],
    ]);
    const greet = all.byName[0]?.oldestQueuedAt?.getTime() ?? 0;
    expect(greet).toBeGreaterThanOrEqual(before);
    expect(greet).toBeLessThanOrEqual(afterFirst);
    expect(all.byName[1]?.oldestQueuedAt?.getTime()).toBeGreaterThanOrEqual(afterFirst);
    // A delayed job waits on purpose: counted, but it has no backlog age.
    expect(all.byName[2]?.oldestQueuedAt).toBeNull();

    // Reading two jobs per lane and state: the oldest are kept, and the answer says it was cut.
    const cut = await queue.waiting({ sample: 2 });
    expect(cut.sampled).toBe(true);
    expect(cut.byName.map((r) => [r.name, r.waiting])).toEqual([
      ['greet', 2],
      ['ingest', 1],
      ['later', 1],
    ]);
    expect(cut.byName[0]?.oldestQueuedAt?.getTime()).toBe(greet);

    await queue.startWorker({ greet: async () => {}, ingest: async () => {}, later: async () => {} });
    await vi.waitFor(async () => expect((await queue.counts()).completed).toBe(4), eventually);
    expect(await queue.waiting()).toEqual({
      byName: [{ name: 'later', waiting: 1, oldestQueuedAt: null }],
      sampled: false,
    });
  });

  it('runs each lane with its own concurrency: default-lane jobs never wait behind a busy lane', async () => {
    const queue = fresh();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: string[] = [];
    const done: string[] = [];
    await queue.startWorker(
      {
        slow: async (payload) => {
          started.push((payload as { id: string }).id);
          await gate;
          done.push((payload as { id: string }).id);
        },
        quick: async (payload) => void done.push((payload as { id: string }).id),
      },
      { concurrency: 2, laneConcurrency: { [SLOW_LANE]: 1 } },
    );
    await queue.enqueue('slow', { id: 's1' });
    await queue.enqueue('slow', { id: 's2' });
    await vi.waitFor(() => expect(started).toEqual(['s1']), eventually);
    for (const id of ['q1', 'q2', 'q3']) await queue.enqueue('quick', { id });
    await vi.waitFor(() => expect(done).toEqual(['q1', 'q2', 'q3']), eventually);
    // The slow lane runs one at a time: s2 waits for s1, whatever the default lane does.
    await sleep(100);
    expect(started).toEqual(['s1']);
    expect(await queue.counts()).toMatchObject({ active: 1, waiting: 1, completed: 3 });

    release();
    await vi.waitFor(() => expect(done).toEqual(['q1', 'q2', 'q3', 's1', 's2']), eventually);
    expect(await queue.counts()).toMatchObject({ active: 0, waiting: 0, completed: 5 });
  });

  it('fails a job with no handler for its name, without retrying', async () => {
    const queue = fresh();
    const known = vi.fn(async () => {});
    await queue.startWorker({ known });
    const { id } = await queue.enqueue('mystery', { x: 1 }, { attempts: 3, backoffMs: 50 });
    await vi.waitFor(async () => expect(await queue.failed()).toHaveLength(1), eventually);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({ id, name: 'mystery', attempts: 1 });
    expect(failed?.error).toMatch(/no handler.*"mystery"/i);
    expect(known).not.toHaveBeenCalled();
  });

  it('fails a job at once when its handler throws an unrecoverable error (a broken Slack token), without retrying', async () => {
    const queue = fresh();
    const tries = vi.fn(async () => {
      throw Object.assign(new Error("Slack refused this workspace's token"), { unrecoverable: true });
    });
    await queue.startWorker({ slack: tries });
    const { id } = await queue.enqueue('slack', { x: 1 }, { attempts: 3, backoffMs: 50 });
    await vi.waitFor(async () => expect(await queue.failed()).toHaveLength(1), eventually);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({ id, name: 'slack', attempts: 1 });
    expect(failed?.error).toMatch(/refused this workspace's token/);
    expect(tries).toHaveBeenCalledTimes(1);
  });

  it('holds a delayed job until its delay has passed', async () => {
    const queue = fresh();
    const ranAt: number[] = [];
    await queue.startWorker({ later: async () => void ranAt.push(Date.now()) });
    const enqueuedAt = Date.now();
    await queue.enqueue('later', {}, { delayMs: 300 });
    expect((await queue.counts()).delayed).toBe(1);
    await vi.waitFor(() => expect(ranAt).toHaveLength(1), eventually);
    expect((ranAt[0] ?? 0) - enqueuedAt).toBeGreaterThanOrEqual(280);
  });

  it('close waits for the running job, then takes no more, even when that job ends the moment close begins', async () => {
    const queue = fresh();
    const events: string[] = [];
    let finishFirst = () => {};
    const firstMayFinish = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    await queue.startWorker(
      {
        slow: async (payload) => {
          events.push(`start ${String((payload as { n: number }).n)}`);
          await firstMayFinish;
          events.push(`end ${String((payload as { n: number }).n)}`);
        },
      },
      { concurrency: 1 },
    );
    await queue.enqueue('slow', { n: 1 });
    await queue.enqueue('slow', { n: 2 });
    await vi.waitFor(() => expect(events).toEqual(['start 1']), eventually);

    // The job ends while close is still stopping the rest (the intake mover, in BullMQ's case): close
    // must already have told the worker to take nothing more.
    const closing = queue.close();
    finishFirst();
    await closing;
    expect(events).toEqual(['start 1', 'end 1']);
    await expect(queue.enqueue('slow', { n: 3 })).rejects.toMatchObject({ code: 'unavailable' });
    await sleep(100);
    expect(events).toEqual(['start 1', 'end 1']);
  });

  it('refuses to start a second worker', async () => {
    const queue = fresh();
    await queue.startWorker({});
    await expect(queue.startWorker({})).rejects.toMatchObject({ code: 'worker_running' });
  });

  it('runs a scheduled job repeatedly until it is unscheduled', async () => {
    const queue = fresh();
    const runs: unknown[] = [];
    await queue.startWorker({ sweep: async (payload) => void runs.push(payload) });
    await queue.schedule('sweep-schedule', 'sweep', { kind: 'purge' }, { everyMs: 150 });
    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(2), eventually);
    expect(runs[0]).toEqual({ kind: 'purge' });

    expect(await queue.unschedule('sweep-schedule')).toBe(true);
    // A run already queued when it was unscheduled may still finish; after that, nothing more comes.
    await sleep(400);
    const settled = runs.length;
    await sleep(500);
    expect(runs.length).toBe(settled);
    expect(await queue.unschedule('sweep-schedule')).toBe(false);
  });

  it('replaces a schedule scheduled again under the same key', async () => {
    const queue = fresh();
    const runs: string[] = [];
    await queue.startWorker({ tick: async (payload) => void runs.push((payload as { v: string }).v) });
    await queue.schedule('tick-schedule', 'tick', { v: 'old' }, { everyMs: 150 });
    await queue.schedule('tick-schedule', 'tick', { v: 'new' }, { everyMs: 150 });
    await vi.waitFor(
      () => expect(runs.filter((v) => v === 'new').length).toBeGreaterThanOrEqual(2),
      eventually,
    );
    await queue.unschedule('tick-schedule');
    // One series, not two: the replaced payload stops (at most one run of it was already on its way).
    expect(runs.filter((v) => v === 'old').length).toBeLessThanOrEqual(1);
  });

  it('refuses a schedule without a positive interval', async () => {
    const queue = fresh();
    await expect(queue.schedule('bad', 'tick', {}, { everyMs: 0 })).rejects.toThrow(/everyMs/);
  });

  it('refuses a submit that a repeated move would run twice (no dedupe, no jobId), and an id BullMQ cannot store', async () => {
    const queue = fresh();
    await expect(queue.submit('greet', { text: 'hi' }, {})).rejects.toThrow(/dedupe or a jobId/);
    await expect(queue.submit('greet', { text: 'hi' }, { jobId: 'a:b' })).rejects.toMatchObject({
      code: 'invalid_job_id',
    });
    expect((await queue.counts()).waiting).toBe(0);
  });

  it('refuses a submit past the waiting limits (one workspace, then all) with queue_full, and runs every job it took once a worker takes them in', async () => {
    const queue = fresh({ submitLimits: { waiting: 5, waitingPerTenant: 2 } });
    const submit = (tenantId: string, n: number) =>
      queue.submit('answer', { tenantId, n }, { jobId: `q-${tenantId}-${n}` });
    await submit('ta', 1);
    await submit('ta', 2);
    await expect(submit('ta', 3)).rejects.toMatchObject({
      code: 'queue_full',
      status: 503,
      details: { scope: 'workspace', limit: 2 },
    });
    // The other workspaces still have room, until five wait in all.
    await submit('tb', 1);
    await submit('tb', 2);
    await submit('tc', 1);
    await expect(submit('td', 1)).rejects.toMatchObject({
      code: 'queue_full',
      details: { scope: 'platform', limit: 5 },
    });
    const ran: Array<{ tenantId: string; n: number }> = [];
    await queue.startWorker({ answer: async (payload) => void ran.push(payload as (typeof ran)[0]) });
    await vi.waitFor(() => expect(ran).toHaveLength(5), eventually);
    // Taken in by the worker: room again, for the refused ones' retries.
    await vi.waitFor(() => expect(submit('ta', 3)).resolves.toBeUndefined(), eventually);
    await submit('td', 1);
    await vi.waitFor(() => expect(ran).toHaveLength(7), eventually);
    expect(ran.map((p) => `${p.tenantId}-${p.n}`).sort()).toEqual([
      'ta-1',
      'ta-2',
      'ta-3',
      'tb-1',
      'tb-2',
      'tc-1',
      'td-1',
    ]);
  });

  it('answers ping while open and fails it once closed', async () => {
    const queue = fresh();
    await expect(queue.ping()).resolves.toBeUndefined();
    await queue.close();
    await expect(queue.ping()).rejects.toMatchObject({ code: 'unavailable' });
  });
}

describe('memory job queue', () => {
  jobQueueContract(({ submitLimits }) => {
    const queue = createMemoryQueue({ logger, lanes: LANES, submitLimits });
    return { queue, cleanup: () => queue.close() };
  });
});

describe.skipIf(!redisUrl)('bullmq job queue', () => {
  jobQueueContract(({ submitLimits }) => {
    const url = redisUrl as string;
    const queueName = `test-${randomUUID()}`;
    const queue = createBullmqQueue({ url, queueName, logger, lanes: LANES, submitLimits });
    return {
      queue,
      async cleanup() {
        await queue.close();
        const connection = new Redis(url, { maxRetriesPerRequest: 1 });
        for (const name of [queueName, `${queueName}-${SLOW_LANE}`]) {
          const admin = new Queue(name, { connection, prefix: BULLMQ_PREFIX });
          await admin.obliterate({ force: true });
          await admin.close();
        }
        await connection.unlink(intakeKey(queueName), `${intakeKey(queueName)}:waiting`);
        await connection.quit();
      },
    };
  });
});
