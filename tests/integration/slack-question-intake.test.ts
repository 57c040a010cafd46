import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AnswerPayload } from '../../src/ai/answer.job.js';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import type { JobQueue, SubmitLimits } from '../../src/infra/queue/job-queue.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createLogger } from '../../src/logger.js';
import { enqueueQuestion } from '../../src/slack/answers/question-intake.js';
import { testRedisUrl } from '../support/redis.js';

const logger = createLogger({ level: 'silent' });
const redisUrl = testRedisUrl();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const question = (eventId: string): Omit<AnswerPayload, 'v' | 'receivedAt'> => ({
  tenantId: '00000000-0000-4000-8000-000000000001',
  eventId,
  surface: 'mention',
  channelId: 'C1',
  threadTs: '1700000000.000100',
  messageTs: '1700000000.000100',
  userId: 'U1',
  question: 'How many days ahead must flights be booked?',
});

/** A real queue that records what was submitted and can be told to fail like a Redis that went away. */
function recordingQueue(inner: JobQueue): JobQueue & { submitted: unknown[]; down: boolean } {
  const q = Object.assign(Object.create(inner) as JobQueue, { submitted: [] as unknown[], down: false });
  q.submit = async (name, payload, opts) => {
    if (q.down) throw new Error('Reached the max retries per request limit (which is 2)');
    await inner.submit(name, payload, opts);
    q.submitted.push(payload);
  };
  return q;
}

/** A queue with a worker whose `answer` handler records each payload it ran. */
async function answeringQueue(make: () => JobQueue) {
  const queue = recordingQueue(make());
  const ran: AnswerPayload[] = [];
  await queue.startWorker({ answer: async (payload) => void ran.push(payload as AnswerPayload) });
  cleanups.push(() => queue.close());
  return { queue, ran };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
const eventually = { timeout: 5_000, interval: 10 };

function bullmq(url: string, submitLimits?: SubmitLimits): JobQueue {
  const queueName = `test-intake-${randomUUID()}`;
  const queue = createBullmqQueue({ url, queueName, logger, submitLimits });
  cleanups.push(async () => {
    await queue.close();
    const connection = new Redis(url, { maxRetriesPerRequest: 1 });
    const admin = new Queue(queueName, { connection, prefix: BULLMQ_PREFIX });
    await admin.obliterate({ force: true });
    await admin.close();
    await connection.unlink(intakeKey(queueName), `${intakeKey(queueName)}:waiting`);
    await connection.quit();
  });
  return queue;
}

const variants: [string, (submitLimits?: SubmitLimits) => JobQueue][] = [
  ['in-process queue', (submitLimits) => createMemoryQueue({ logger, submitLimits })],
];
if (redisUrl) variants.push(['BullMQ on real Redis', (submitLimits) => bullmq(redisUrl, submitLimits)]);

describe.each(variants)('question intake (%s)', (_name, makeQueue) => {
  const unique = (p: string) => `${p}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  it('answers a question once per event id, however often and however close together it is delivered', async () => {
    const { queue, ran } = await answeringQueue(makeQueue);
    const id = unique('EvOnce');
    await enqueueQuestion({ queue, logger }, question(id));
    // Slack's retries, two of them racing each other: each is accepted (200), none is answered again.
    await Promise.all(
      [1, 2, 3].map((retryNum) => enqueueQuestion({ queue, logger }, question(id), { retryNum })),
    );
    expect(queue.submitted).toHaveLength(4);
    await vi.waitFor(() => expect(ran).toHaveLength(1), eventually);
    await settle();
    expect(ran).toEqual([expect.objectContaining({ v: 1, eventId: id })]);
  });

  it('a retry after the answer ran is accepted and not answered again', async () => {
    const { queue, ran } = await answeringQueue(makeQueue);
    const id = unique('EvLater');
    await enqueueQuestion({ queue, logger }, question(id));
    await vi.waitFor(() => expect(ran).toHaveLength(1), eventually);
    await enqueueQuestion({ queue, logger }, question(id), { retryNum: 3 });
    await settle();
    expect(ran).toHaveLength(1);
  });

  it('when queueing fails: throws unavailable (the request gets a 5xx) and records nothing, so the retry is answered', async () => {
    const { queue, ran } = await answeringQueue(makeQueue);
    const id = unique('EvDown');
    queue.down = true;
    await expect(enqueueQuestion({ queue, logger }, question(id))).rejects.toMatchObject({
      code: 'unavailable',
    });
    queue.down = false;
    await enqueueQuestion({ queue, logger }, question(id), { retryNum: 1 });
    await vi.waitFor(() => expect(ran).toHaveLength(1), eventually);
    await settle();
    expect(ran).toHaveLength(1);
  });

  it("past its workspace's waiting limit: throws queue_full (a 503, so Slack retries) and queues nothing; the retry is answered once there is room", async () => {
    const queue = recordingQueue(makeQueue({ waiting: 100, waitingPerTenant: 1 }));
    cleanups.push(() => queue.close());
    const [first, second] = [unique('EvFirst'), unique('EvSecond')];
    await enqueueQuestion({ queue, logger }, question(first));
    await expect(enqueueQuestion({ queue, logger }, question(second))).rejects.toMatchObject({
      code: 'queue_full',
      status: 503,
    });
    expect(queue.submitted).toEqual([expect.objectContaining({ eventId: first })]);
    const ran: AnswerPayload[] = [];
    await queue.startWorker({ answer: async (payload) => void ran.push(payload as AnswerPayload) });
    await vi.waitFor(() => expect(ran).toHaveLength(1), eventually);
    await vi.waitFor(
      () =>
        expect(
          enqueueQuestion({ queue, logger }, question(second), { retryNum: 1 }),
        ).resolves.toBeUndefined(),
      eventually,
    );
    await vi.waitFor(() => expect(ran.map((p) => p.eventId)).toEqual([first, second]), eventually);
  });

  it('a payload the answer job cannot take is refused as invalid, not as an outage, and nothing is queued', async () => {
    const queue = recordingQueue(makeQueue());
    cleanups.push(() => queue.close());
    await expect(
      enqueueQuestion({ queue, logger }, { ...question(unique('EvBad')), tenantId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ code: 'invalid_job_payload' });
    expect(queue.submitted).toEqual([]);
  });

  it('cuts an overlong question to 4,000 characters', async () => {
    const { queue, ran } = await answeringQueue(makeQueue);
    await enqueueQuestion({ queue, logger }, { ...question(unique('EvLong')), question: 'x'.repeat(10_000) });
    await vi.waitFor(() => expect(ran).toHaveLength(1), eventually);
    expect(ran[0]?.question).toHaveLength(4000);
  });
});
