import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AnswerPayload } from '../../src/ai/answer.job.js';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import type { JobQueue } from '../../src/infra/queue/job-queue.js';
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

/** A real queue that records what was added and can be told to fail like a Redis that went away. */
function recordingQueue(inner: JobQueue): JobQueue & {
  added: { name: string; payload: unknown; id: string }[];
  down: boolean;
} {
  const q = Object.assign(Object.create(inner) as JobQueue, {
    added: [] as { name: string; payload: unknown; id: string }[],
    down: false,
  });
  q.enqueue = async (name, payload, opts) => {
    if (q.down) throw new Error('Reached the max retries per request limit (which is 2)');
    const result = await inner.enqueue(name, payload, opts);
    if (!result.duplicate) q.added.push({ name, payload, id: result.id });
    return result;
  };
  return q;
}

function bullmq(url: string): JobQueue {
  const queueName = `test-intake-${randomUUID()}`;
  const queue = createBullmqQueue({ url, queueName, logger });
  cleanups.push(async () => {
    await queue.close();
    const connection = new Redis(url, { maxRetriesPerRequest: 1 });
    const admin = new Queue(queueName, { connection, prefix: BULLMQ_PREFIX });
    await admin.obliterate({ force: true });
    await admin.close();
    await connection.quit();
  });
  return queue;
}

const variants: [string, () => JobQueue][] = [['in-process queue', () => createMemoryQueue({ logger })]];
if (redisUrl) variants.push(['BullMQ on real Redis', () => bullmq(redisUrl)]);

describe.each(variants)('question intake (%s)', (_name, makeQueue) => {
  const real = makeQueue();
  const unique = (p: string) => `${p}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  it('queues a question once per event id, however often and however close together it is delivered', async () => {
    const queue = recordingQueue(real);
    const id = unique('EvOnce');
    const first = await enqueueQuestion({ queue, logger }, question(id));
    // Slack's retries, two of them racing each other.
    const retries = await Promise.all(
      [1, 2, 3].map((retryNum) => enqueueQuestion({ queue, logger }, question(id), { retryNum })),
    );
    expect([first, ...retries]).toEqual(['queued', 'duplicate', 'duplicate', 'duplicate']);
    expect(queue.added).toEqual([
      {
        name: 'answer',
        payload: expect.objectContaining({ v: 1, eventId: id }),
        id: expect.stringMatching(new RegExp(`^answer-${id}-`)),
      },
    ]);
  });

  it('a retry after the answer ran is still a duplicate, and nothing runs twice', async () => {
    // A queue of its own with a worker, so the first job really runs before Slack's late retry.
    const queue = makeQueue();
    const ran: unknown[] = [];
    await queue.startWorker({ answer: async (payload) => void ran.push(payload) });
    const id = unique('EvLater');
    expect(await enqueueQuestion({ queue, logger }, question(id))).toBe('queued');
    await vi.waitFor(() => expect(ran).toHaveLength(1), { timeout: 5_000, interval: 10 });
    expect(await enqueueQuestion({ queue, logger }, question(id), { retryNum: 3 })).toBe('duplicate');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toHaveLength(1);
    await queue.close();
  });

  it('when queueing fails: throws unavailable (the request gets a 5xx) and records nothing, so the retry is queued', async () => {
    const queue = recordingQueue(real);
    const id = unique('EvDown');
    queue.down = true;
    await expect(enqueueQuestion({ queue, logger }, question(id))).rejects.toMatchObject({
      code: 'unavailable',
    });
    queue.down = false;
    expect(await enqueueQuestion({ queue, logger }, question(id), { retryNum: 1 })).toBe('queued');
    expect(queue.added).toHaveLength(1);
  });

  it('a payload the answer job cannot take is refused as invalid, not as an outage, and nothing is queued', async () => {
    const queue = recordingQueue(real);
    await expect(
      enqueueQuestion({ queue, logger }, { ...question(unique('EvBad')), tenantId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ code: 'invalid_job_payload' });
    expect(queue.added).toEqual([]);
  });

  it('cuts an overlong question to 4,000 characters', async () => {
    const queue = recordingQueue(real);
    await enqueueQuestion({ queue, logger }, { ...question(unique('EvLong')), question: 'x'.repeat(10_000) });
    expect((queue.added[0]?.payload as AnswerPayload | undefined)?.question).toHaveLength(4000);
  });
});
