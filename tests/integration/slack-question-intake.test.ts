import { afterAll, describe, expect, it } from 'vitest';
import type { AnswerPayload } from '../../src/ai/answer.job.js';
import type { JobQueue } from '../../src/infra/queue/job-queue.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { dedupeKey, enqueueQuestion } from '../../src/slack/answers/question-intake.js';
import { testRedisUrl } from '../support/redis.js';

const logger = createLogger({ level: 'silent' });
const redisUrl = testRedisUrl();
const stores: KeyValueStore[] = [];
afterAll(() => Promise.all(stores.map((s) => s.close())));

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

/** A queue that records what was enqueued and can be told to fail. */
function recordingQueue(): JobQueue & {
  added: { name: string; payload: unknown; jobId?: string }[];
  down: boolean;
} {
  const inner = createMemoryQueue({ logger });
  const q = Object.assign(Object.create(inner) as JobQueue, {
    added: [] as { name: string; payload: unknown; jobId?: string }[],
    down: false,
  });
  q.enqueue = async (name, payload, opts) => {
    if (q.down) throw new Error('connection refused');
    q.added.push({ name, payload, jobId: opts?.jobId });
    return { id: opts?.jobId ?? 'x' };
  };
  return q;
}

const variants: [string, () => KeyValueStore][] = [['in-memory store', () => createMemoryStore({ logger })]];
if (redisUrl) variants.push(['real Redis', () => createRedisStore(redisUrl, { logger })]);

describe.each(variants)('question intake (%s)', (_name, makeStore) => {
  const kv = makeStore();
  stores.push(kv);
  const unique = (p: string) => `${p}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  it('queues a question once per event id, however often it is delivered', async () => {
    const queue = recordingQueue();
    const id = unique('EvOnce');
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push(await enqueueQuestion({ kv, queue, logger }, question(id), { retryNum: i || undefined }));
    expect(results).toEqual(['queued', 'duplicate', 'duplicate', 'duplicate']);
    expect(queue.added).toEqual([
      { name: 'answer', payload: expect.objectContaining({ v: 1, eventId: id }), jobId: `answer-${id}` },
    ]);
    expect(await kv.get(dedupeKey(id))).toBe('queued');
  });

  it('when queueing fails: throws unavailable (the request gets a 5xx) and releases the key, so the retry is queued', async () => {
    const queue = recordingQueue();
    const id = unique('EvDown');
    queue.down = true;
    await expect(enqueueQuestion({ kv, queue, logger }, question(id))).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(await kv.get(dedupeKey(id))).toBeNull();
    queue.down = false;
    expect(await enqueueQuestion({ kv, queue, logger }, question(id), { retryNum: 1 })).toBe('queued');
    expect(queue.added).toHaveLength(1);
  });

  it('when Redis cannot record the delivery: throws unavailable (a 5xx, so Slack retries) and queues nothing', async () => {
    const queue = recordingQueue();
    const broken = Object.assign(Object.create(kv) as KeyValueStore, {
      set: async () => {
        throw new Error('Reached the max retries per request limit (which is 2)');
      },
    });
    await expect(
      enqueueQuestion({ kv: broken, queue, logger }, question(unique('EvKvDown'))),
    ).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(queue.added).toEqual([]);
  });

  it('a retry that arrives while the first delivery is still queueing is refused (5xx), not acknowledged', async () => {
    const id = unique('EvRace');
    await kv.set(dedupeKey(id), 'pending', { ttlMs: 60_000 });
    await expect(
      enqueueQuestion({ kv, queue: recordingQueue(), logger }, question(id), { retryNum: 1 }),
    ).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('cuts an overlong question to 4,000 characters', async () => {
    const queue = recordingQueue();
    await enqueueQuestion(
      { kv, queue, logger },
      { ...question(unique('EvLong')), question: 'x'.repeat(10_000) },
    );
    expect((queue.added[0]?.payload as AnswerPayload | undefined)?.question).toHaveLength(4000);
  });
});
