import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { createIntakeStream, intakeKey } from '../../src/infra/queue/intake-stream.js';
import type { JobQueue } from '../../src/infra/queue/job-queue.js';
import { createLogger } from '../../src/logger.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const logger = createLogger({ level: 'silent' });
const eventually = { timeout: 10_000, interval: 20 };
const dedupe = (id: string) => ({ dedupe: { id, forMs: 60_000 } });

/**
 * `JobQueue.submit` on BullMQ: the web process's XADD, moved into BullMQ by whichever worker reads it. What a
 * member would notice if it went wrong: a question acknowledged and never answered, or answered twice.
 */
describe.skipIf(!redisUrl)('submitted jobs on Redis (the intake stream)', () => {
  const url = redisUrl as string;
  let queueName: string;
  let redis: Redis;
  const queues: JobQueue[] = [];
  const newQueue = (opts: { intakeClaimIdleMs?: number } = {}) => {
    const q = createBullmqQueue({ url, queueName, logger, ...opts });
    queues.push(q);
    return q;
  };
  const recordRuns = async (q: JobQueue) => {
    const ran: unknown[] = [];
    await q.startWorker({ work: async (payload) => void ran.push(payload) });
    return ran;
  };

  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    const admin = new Queue(queueName, { connection: redis, prefix: BULLMQ_PREFIX });
    await admin.obliterate({ force: true });
    await admin.close();
    await redis.unlink(intakeKey(queueName), `${intakeKey(queueName)}:waiting`);
    await redis.quit();
  });
  const setUp = () => {
    queueName = `lore-intake-${randomUUID()}`;
    redis = new Redis(url, { maxRetriesPerRequest: 1 });
  };

  it('counts a submitted job as waiting until a worker starts, then runs it once', async () => {
    setUp();
    const web = newQueue();
    await web.submit('work', { n: 1 }, dedupe('one'));
    await web.submit('work', { n: 1 }, dedupe('one'));
    // No worker yet: the operator's queue view shows both deliveries waiting, with their age.
    expect((await web.counts()).waiting).toBe(2);
    expect((await web.waiting()).byName).toEqual([
      { name: 'work', waiting: 2, oldestQueuedAt: expect.any(Date) },
    ]);
    const worker = newQueue();
    const ran = await recordRuns(worker);
    await vi.waitFor(
      async () => expect(await web.counts()).toMatchObject({ waiting: 0, completed: 1 }),
      eventually,
    );
    expect(ran).toEqual([{ n: 1 }]);
    expect(await redis.xlen(intakeKey(queueName))).toBe(0);
    // A worker that stops with nothing left unmoved leaves no trace in the group (deploys would pile them up).
    await worker.close();
    expect(await redis.xinfo('CONSUMERS', intakeKey(queueName), 'movers')).toEqual([]);
  });

  it('a job a worker took from the intake and died with is moved by another worker', async () => {
    setUp();
    const web = newQueue();
    await web.submit('work', { n: 2 }, dedupe('two'));
    // A worker that read the entry (it is now pending on it) and was killed before adding the job.
    const key = intakeKey(queueName);
    await redis.xgroup('CREATE', key, 'movers', '0', 'MKSTREAM');
    const taken = (await redis.xreadgroup(
      'GROUP',
      'movers',
      'dead-worker',
      'COUNT',
      10,
      'STREAMS',
      key,
      '>',
    )) as [string, unknown[]][];
    expect(taken[0]?.[1]).toHaveLength(1);
    const ran = await recordRuns(newQueue({ intakeClaimIdleMs: 300 }));
    await vi.waitFor(() => expect(ran).toEqual([{ n: 2 }]), eventually);
    expect(await redis.xpending(key, 'movers')).toEqual([0, null, null, null]);
  });

  it('a worker frozen while blocked reading (Redis hands it the entry anyway) delays a job by seconds, not more', async () => {
    setUp();
    const web = newQueue();
    const ran = await recordRuns(newQueue());
    // A worker process that froze (SIGSTOP, a paused host) in the middle of its blocking read.
    const frozen = redis.duplicate();
    const key = intakeKey(queueName);
    const read = frozen.xreadgroup(
      'GROUP',
      'movers',
      'frozen-worker',
      'COUNT',
      1,
      'BLOCK',
      0,
      'STREAMS',
      key,
      '>',
    );
    try {
      // The live worker's own read ends within a second and queues behind the frozen one.
      await new Promise((r) => setTimeout(r, 1_200));
      const submitted = Date.now();
      await web.submit('work', { n: 6 }, dedupe('six'));
      expect(JSON.stringify(await read)).toContain('six');
      await vi.waitFor(() => expect(ran).toEqual([{ n: 6 }]), eventually);
      expect(Date.now() - submitted).toBeLessThan(9_000);
    } finally {
      // A failed assertion must not leave a connection blocked forever, holding the test run open.
      frozen.disconnect();
    }
  });

  it('an add that fails (Redis away for a moment) is tried again once the entry has sat unmoved for the claim time', async () => {
    setUp();
    const intake = createIntakeStream({
      client: redis,
      blockingClient: () => redis.duplicate(),
      queueName,
      logger,
      claimIdleMs: 300,
    });
    await intake.submit('work', { n: 5 }, dedupe('five'));
    const add = vi
      .fn(async (_name: string, _payload: unknown) => undefined)
      .mockRejectedValueOnce(new Error('Connection is closed.'));
    intake.startMover(add);
    try {
      await vi.waitFor(() => expect(add).toHaveBeenCalledTimes(2), eventually);
      expect(add.mock.calls.map((c) => c[1])).toEqual([{ n: 5 }, { n: 5 }]);
      await vi.waitFor(async () => expect(await intake.length()).toBe(0), eventually);
    } finally {
      await intake.stop();
    }
  });

  it('drops an entry it cannot read, and still moves the ones after it', async () => {
    setUp();
    const web = newQueue();
    await redis.xadd(intakeKey(queueName), '*', 'n', 'work', 'p', '{not json', 'o', '{}');
    await web.submit('work', { n: 3 }, dedupe('three'));
    const ran = await recordRuns(newQueue());
    await vi.waitFor(() => expect(ran).toEqual([{ n: 3 }]), eventually);
    await vi.waitFor(async () => expect(await redis.xlen(intakeKey(queueName))).toBe(0), eventually);
  });

  it("a workspace's waiting count goes down once per entry, even when two workers finish the same one", async () => {
    setUp();
    const limits = { waiting: 100, waitingPerTenant: 2 };
    const stream = (add: (name: string, payload: unknown) => Promise<unknown>) => {
      const intake = createIntakeStream({
        client: redis,
        blockingClient: () => redis.duplicate(),
        queueName,
        logger,
        claimIdleMs: 300,
        limits,
      });
      intake.startMover(add);
      return intake;
    };
    const question = (n: number) => ({ tenantId: 'tenant-a', n });
    const submitter = createIntakeStream({ client: redis, queueName, logger, limits });
    // Worker 1 reads question 1 and stalls in its add (a paused host); the next adds wait for the end.
    let resume = () => {};
    const stalled = new Promise<void>((r) => {
      resume = r;
    });
    let release = () => {};
    const end = new Promise<void>((r) => {
      release = r;
    });
    const firstAdds: unknown[] = [];
    const worker1 = stream(async (_name, payload) => {
      firstAdds.push(payload);
      await (firstAdds.length === 1 ? stalled : end);
    });
    await submitter.submit('work', question(1), dedupe('q1'));
    await vi.waitFor(() => expect(firstAdds).toEqual([question(1)]), eventually);
    // Worker 2 claims it once it has sat for the claim time, moves it, and stops.
    const secondAdds: unknown[] = [];
    const worker2 = stream(async (_name, payload) => void secondAdds.push(payload));
    await vi.waitFor(() => expect(secondAdds).toEqual([question(1)]), eventually);
    await worker2.stop();
    try {
      await submitter.submit('work', question(2), dedupe('q2'));
      await submitter.submit('work', question(3), dedupe('q3'));
      // Worker 1 finishes question 1 too, and goes on to read 2 and 3, which stay waiting with it (its add
      // of 2 waits for the end).
      resume();
      await vi.waitFor(() => expect(firstAdds).toEqual([question(1), question(2)]), eventually);
      // Two of the workspace's questions are waiting: at its limit, whoever finished question 1.
      await expect(submitter.submit('work', question(4), dedupe('q4'))).rejects.toMatchObject({
        code: 'queue_full',
        details: { scope: 'workspace' },
      });
    } finally {
      release();
      await worker1.stop();
    }
    await vi.waitFor(
      () => expect(submitter.submit('work', question(4), dedupe('q4'))).resolves.toBeUndefined(),
      eventually,
    );
  });

  it('a waiting count that outlived its entries (the stream lost with a replaced Redis) does not lock a workspace out', async () => {
    setUp();
    const intake = createIntakeStream({
      client: redis,
      queueName,
      logger,
      limits: { waiting: 100, waitingPerTenant: 1 },
    });
    await redis.hset(`${intakeKey(queueName)}:waiting`, 'tenant-b', '1');
    await intake.submit('work', { tenantId: 'tenant-b', n: 1 }, dedupe('b1'));
    expect(await intake.length()).toBe(1);
    // Now the count is its entry's: the next one waits for a worker.
    await expect(intake.submit('work', { tenantId: 'tenant-b', n: 2 }, dedupe('b2'))).rejects.toMatchObject({
      code: 'queue_full',
    });
  });

  it('refuses a submit once the queue is closed, with a specific error', async () => {
    setUp();
    const web = newQueue();
    await web.close();
    await expect(web.submit('work', { n: 4 }, dedupe('four'))).rejects.toMatchObject({ code: 'unavailable' });
  });
});
