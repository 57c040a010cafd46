import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { BULLMQ_PREFIX } from '../../src/infra/queue/bullmq-queue.js';
import { REDIS_KEY_PREFIX } from '../../src/infra/redis/redis-connection.js';
import type { LoreProcess } from '../support/lore-process.js';
import { mentionEvent, postEvent } from '../support/slack-answers.js';
import { createTestDatabase, onNativePostgres } from '../support/test-db.js';
import { type FaultStack, startFaultStack } from './support/fault-stack.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import {
  eventually,
  faultWorkspace,
  installThroughOAuth,
  outcomeOf,
  repliesIn,
  requireNativeInCi,
} from './support/production.js';

requireNativeInCi(onNativePostgres, 'the Redis restart test');

const WS = faultWorkspace('REDISRST', 'Restart Co');
const EVENTS = 60;

/**
 * Redis restarted in the middle of a burst of events, with a web and a worker process as production runs
 * them. What Slack needs: every event Lore acknowledged is answered exactly once, and every event it could
 * not queue is refused with a non-2xx, so Slack's retry (played by the test) delivers it again.
 */
describe.skipIf(!onNativePostgres)('Redis restarted in the middle of a burst of events', () => {
  let db: Database & { url?: string };
  let redis: PrivateRedis;
  let stack: FaultStack;
  let slack: FaultStack['slack'];
  let web: LoreProcess;
  let worker: LoreProcess;
  let queueName = '';

  beforeAll(async () => {
    db = await createTestDatabase({ connections: 2 });
    redis = await startPrivateRedis();
    stack = await startFaultStack({
      workspace: WS,
      databaseUrl: db.url as string,
      redisUrl: redis.url,
      openai: { answer: 'Flights are booked at least 14 days ahead [1].' },
      processes: { web: 'web', worker: 'worker' },
    });
    ({ slack } = stack);
    [web, worker] = [stack.proc('web'), stack.proc('worker')];
    queueName = stack.env.QUEUE_NAME as string;
    await installThroughOAuth(web.url, db, WS);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await redis?.close();
    await db?.close();
  });

  it('answers every acknowledged event once, and refuses with a non-2xx what it could not queue', async () => {
    const events = Array.from({ length: EVENTS }, (_, i) =>
      mentionEvent(WS, 'How many days ahead must flights be booked?', { user: `U0BURST${i}` }),
    );
    const firstTry: Array<number | 'no answer'> = [];
    let restarted: Promise<void> | undefined;
    for (const [i, event] of events.entries()) {
      if (i === 20) {
        // Down for about 1.5 s in the middle of the burst, then back with what it had written to disk.
        await redis.stop();
        restarted = new Promise((r) => setTimeout(r, 1_500)).then(() => redis.start());
      }
      const res = await postEvent(web.url, event).catch(() => undefined);
      firstTry.push(res?.status ?? 'no answer');
      await new Promise((r) => setTimeout(r, 25));
    }
    await restarted;
    const refused = events.filter((_, i) => firstTry[i] !== 200);
    // Slack delivers an event again (up to three retries) when it was not acknowledged with a 2xx.
    for (const event of refused) {
      await vi.waitFor(async () => {
        const res = await postEvent(web.url, event, {
          'x-slack-retry-num': '1',
          'x-slack-retry-reason': 'http_error',
        });
        expect(res.status).toBe(200);
      }, eventually(30_000));
    }
    try {
      await vi.waitFor(async () => {
        for (const event of events) expect(await outcomeOf(db, event.event_id)).toEqual(['answered']);
      }, eventually(120_000));
    } catch (err) {
      // What the operator would look at: which events went unanswered, where their jobs are, and the logs.
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      const queue = new Queue(queueName, { connection, prefix: BULLMQ_PREFIX });
      for (const [i, e] of events.entries()) {
        if ((await outcomeOf(db, e.event_id)).length > 0) continue;
        const jobId = await queue.getDeduplicationJobId(e.event_id);
        const job = jobId ? await queue.getJob(jobId) : undefined;
        // A delayed job due minutes after it was queued is a parked one (fairness), not a retry's backoff.
        const due = job
          ? ` ${job.id}, attempts made ${job.attemptsMade}, due in ${Math.round((job.timestamp + job.delay - Date.now()) / 1000)} s`
          : '';
        process.stdout.write(
          `unanswered #${i} (first try ${firstTry[i]}): job ${job ? await job.getState() : 'none'}${due}\n`,
        );
      }
      // The per-workspace slots and parked lists, as the sweep would read them.
      for (const key of await connection.keys(`${REDIS_KEY_PREFIX}fair:*`)) {
        const type = await connection.type(key);
        const value =
          type === 'zset'
            ? await connection.zrange(key, '0', '-1', 'WITHSCORES')
            : type === 'list'
              ? await connection.lrange(key, 0, -1)
              : [type];
        process.stdout.write(`${key}: ${value.join(' ')}\n`);
      }
      await queue.close();
      connection.disconnect();
      process.stdout.write(`worker:\n${worker.output().slice(-3000)}\nweb:\n${web.output().slice(-3000)}\n`);
      throw err;
    }
    const counts = events.map((e) => repliesIn(slack, e.event.ts).length);
    process.stdout.write(
      `Redis restart mid-burst: sent ${EVENTS}, acknowledged on first delivery ${EVENTS - refused.length}, refused ${refused.length} (then retried), answered ${counts.filter((n) => n >= 1).length}, duplicated ${counts.filter((n) => n > 1).length}, lost ${counts.filter((n) => n === 0).length}\n`,
    );
    for (const status of firstTry)
      expect(status === 200 || status === 'no answer' || status >= 500).toBe(true);
    for (const n of counts) expect(n).toBe(1);
  }, 300_000);
});
