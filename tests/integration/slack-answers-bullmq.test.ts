import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BULLMQ_PREFIX } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import { testRedisUrl } from '../support/redis.js';
import { startSlackTestApp } from '../support/slack.js';
import {
  ANSWER_ENV,
  addReadyDocument,
  fakeOpenAi,
  installWorkspace,
  mentionEvent,
  postEvent,
  rowsOf,
  type Workspace,
} from '../support/slack-answers.js';
import { type FakeSlack, fakeSlackWebApi } from '../support/slack-web-api.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

const redisUrl = testRedisUrl();
const FLIGHTS = 'How many days ahead must flights be booked?';

/** Replies the bot started in a channel (streams plus posted messages), and their final Block Kit edits. */
const repliesIn = (slack: FakeSlack, channel: string) =>
  [...slack.of('chat.startStream'), ...slack.of('chat.postMessage')].filter((c) => c.channel === channel);
const finalUpdatesIn = (slack: FakeSlack, channel: string) =>
  slack
    .of('chat.update')
    .filter((u) => u.channel === channel && Array.isArray(u.blocks) && u.blocks.length > 0);

describe.skipIf(!redisUrl)('answers in Slack with the full app on BullMQ and Redis (real HTTP)', () => {
  // A queue of its own, so parallel runs sharing the Redis never take each other's jobs.
  const queueName = `lore-test-${randomUUID()}`;
  let app: App;
  let w: Workspace;
  let redis: Redis;
  let admin: Queue;
  const answersFor = (eventId: string) =>
    rowsOf(app, 'SELECT outcome FROM lore.answers WHERE idempotency_key = $1', [eventId]);

  beforeAll(async () => {
    redis = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    admin = new Queue(queueName, { connection: redis, prefix: BULLMQ_PREFIX });
    app = await startSlackTestApp({ ...ANSWER_ENV, REDIS_URL: redisUrl as string, QUEUE_NAME: queueName });
    fakeOpenAi('unused');
    // A team id of its own: Redis outlives this run, and cached installations are keyed by team.
    w = await installWorkspace(app, `TB${randomUUID().slice(0, 8).toUpperCase()}`);
    await addReadyDocument(
      app,
      w.tenantId,
      'travel.md',
      '# Travel policy\n\n## Booking flights\n\nFlights must be booked at least 14 days ahead through the travel desk.',
    );
  });
  afterAll(async () => {
    await app?.cleanup();
    await admin?.obliterate({ force: true });
    await admin?.close();
    await redis?.unlink(intakeKey(queueName));
    await redis?.quit();
  });

  it('answers a mention once, in its thread, with citations, through the queue named by QUEUE_NAME', async () => {
    expect(app.container.queue.kind).toBe('bullmq');
    const slack = fakeSlackWebApi();
    fakeOpenAi('Book flights at least 14 days ahead through the travel desk [1].');
    const event = mentionEvent(w, FLIGHTS, { channel: 'CBULLMQ01' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toEqual([{ outcome: 'answered' }]),
      { timeout: 15_000, interval: 100 },
    );

    expect(repliesIn(slack, 'CBULLMQ01')).toEqual([
      expect.objectContaining({ channel: 'CBULLMQ01', thread_ts: event.event.ts }),
    ]);
    const finals = finalUpdatesIn(slack, 'CBULLMQ01');
    expect(finals).toHaveLength(1);
    const text = JSON.stringify(finals[0].blocks);
    expect(text).toContain('Book flights at least 14 days ahead');
    expect(text).toMatch(
      /\[1\] <https:\/\/lore\.example\.test\/read\/documents\/[0-9a-f-]+\?chunk=\d+#chunk-\d+\|Travel policy — Booking flights>/,
    );
    // The job went through Redis, in this test's queue. The answer row is final a moment before the worker
    // reports the job done, so its state is awaited too.
    await vi.waitFor(
      async () =>
        expect(
          await (await admin.getJob((await admin.getDeduplicationJobId(event.event_id)) ?? ''))?.getState(),
        ).toBe('completed'),
      { timeout: 5_000, interval: 50 },
    );
  });

  it('answers once however often Slack delivers the event (retries with x-slack-retry-num)', async () => {
    const slack = fakeSlackWebApi();
    fakeOpenAi('Fourteen days ahead, through the travel desk [1].');
    const event = mentionEvent(w, FLIGHTS, { channel: 'CBULLMQ02' });
    expect((await postEvent(app.url, event)).status).toBe(200);
    const retries = await Promise.all(
      [1, 2].map((n) =>
        postEvent(app.url, event, { 'x-slack-retry-num': String(n), 'x-slack-retry-reason': 'http_timeout' }),
      ),
    );
    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    await vi.waitFor(
      async () => expect(await answersFor(event.event_id)).toEqual([{ outcome: 'answered' }]),
      { timeout: 15_000, interval: 100 },
    );
    // A late retry, after the answer went out, is still not answered again.
    const late = await postEvent(app.url, event, {
      'x-slack-retry-num': '3',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(late.status).toBe(200);
    expect(repliesIn(slack, 'CBULLMQ02')).toHaveLength(1);
    expect(finalUpdatesIn(slack, 'CBULLMQ02')).toHaveLength(1);
    const jobs = await admin.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    expect(jobs.filter((j) => j.name === 'answer' && j.data.eventId === event.event_id)).toHaveLength(1);
  });

  it('stops cleanly: the worker leaves the queue and closes its connections', async () => {
    // BullMQ names the connections it opens for a queue after the queue (base64), so these are this app's.
    const ofThisQueue = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((l) => l.includes(` name=${BULLMQ_PREFIX}:${Buffer.from(queueName).toString('base64')}`));
    expect(await admin.getWorkersCount()).toBe(1);
    expect(await ofThisQueue()).not.toEqual([]);
    await app.stop();
    expect(await admin.getWorkersCount()).toBe(0);
    expect(await ofThisQueue()).toEqual([]);
  });
});
