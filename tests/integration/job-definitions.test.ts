import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerJob } from '../../src/ai/answer.job.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import { enqueueJob } from '../../src/infra/queue/job-definition.js';
import type { JobQueue } from '../../src/infra/queue/job-queue.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { JOB_LANES, JOBS } from '../../src/jobs/registry.js';
import { startWorker } from '../../src/jobs/worker.js';
import { ingestJob } from '../../src/knowledge/ingest.job.js';
import { createLogger } from '../../src/logger.js';
import { welcomeJob } from '../../src/tenants/installations/welcome.job.js';
import { type AdminDm, adminDmJob } from '../../src/tenants/notices/admin-dm.job.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const quiet = createLogger({ level: 'silent' });
const eventually = { timeout: 5_000, interval: 10 };
const tenantId = randomUUID();

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

function definitionContract(makeQueue: () => { queue: JobQueue; cleanup: () => Promise<void> }): void {
  let cleanup: (() => Promise<void>) | undefined;
  const fresh = () => {
    const h = makeQueue();
    cleanup = h.cleanup;
    return h.queue;
  };
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('refuses a payload that does not fit its job when it is queued, naming the field, and queues nothing', async () => {
    const queue = fresh();
    const bad = { v: 1, tenantId, surface: 'mention', channelId: 'C1', userId: 'U1', question: 'Hi?' };
    // @ts-expect-error eventId and receivedAt are missing: the type refuses it, and so does the schema.
    const queued = enqueueJob(queue, answerJob, bad);
    await expect(queued).rejects.toMatchObject({ code: 'invalid_job_payload', status: 500 });
    await expect(queued).rejects.toThrow(/"answer" job's payload is not valid: eventId: .*receivedAt/);
    expect(await queue.counts()).toMatchObject({ waiting: 0, delayed: 0 });
  });

  it('keys each job by its definition: the same welcome or answer queued twice is one job', async () => {
    const queue = fresh();
    const welcome = { v: 1 as const, tenantId, userId: 'UINSTALLER' };
    expect(await enqueueJob(queue, welcomeJob, welcome)).toEqual({ id: `welcome-${tenantId}` });
    expect(await enqueueJob(queue, welcomeJob, welcome)).toEqual({ id: `welcome-${tenantId}` });
    const question = {
      v: 1 as const,
      tenantId,
      eventId: 'Ev0DEF1',
      surface: 'mention' as const,
      channelId: 'C1',
      userId: 'U1',
      question: 'Where is the travel policy?',
      receivedAt: Date.now(),
    };
    // An answer is de-duplicated on its event id; each add gets its own job id, so a duplicate is told apart.
    const first = await enqueueJob(queue, answerJob, question);
    expect(first).toEqual({ id: expect.stringMatching(/^answer-Ev0DEF1-/), duplicate: false });
    expect(await enqueueJob(queue, answerJob, question)).toEqual({ id: first.id, duplicate: true });
    expect((await queue.counts()).waiting).toBe(2);
  });

  it('fails a stale payload already in the queue at once, without retries, and says so in the log', async () => {
    const queue = fresh();
    const sent: AdminDm[] = [];
    const { logger, lines } = capturingLogger();
    // As an older Lore left it in Redis: no text. Three attempts would be allowed to a failing job.
    const stale = { v: 1, tenantId, userId: 'UADMIN' };
    await queue.enqueue(adminDmJob.name, stale, { jobId: 'stale-dm', attempts: 3, backoffMs: 10 });
    await startWorker(
      queue,
      { [adminDmJob.name]: adminDmJob.bind({ sendAdminDm: async (m) => void sent.push(m) }) },
      { logger, metrics: createMetrics() },
    );
    await vi.waitFor(async () => expect(await queue.failed()).toHaveLength(1), eventually);
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({ id: 'stale-dm', name: 'admin-dm', attempts: 1 });
    expect(failed?.error).toMatch(/"admin-dm" job's payload is not valid: text/);
    expect(sent).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        job: 'admin-dm',
        jobId: 'stale-dm',
        msg: 'job payload does not match its schema: failed without retries',
      }),
    );
  });

  it('runs a valid payload with the handler of its definition', async () => {
    const queue = fresh();
    const sent: AdminDm[] = [];
    await startWorker(
      queue,
      { [adminDmJob.name]: adminDmJob.bind({ sendAdminDm: async (m) => void sent.push(m) }) },
      { logger: quiet, metrics: createMetrics() },
    );
    await enqueueJob(
      queue,
      adminDmJob,
      { v: 1, tenantId, userId: 'UADMIN', text: 'Over 80%' },
      { jobId: 'dm-1' },
    );
    await vi.waitFor(
      () => expect(sent).toEqual([{ tenantId, userId: 'UADMIN', text: 'Over 80%' }]),
      eventually,
    );
  });
}

describe('job definitions on the in-process queue', () => {
  definitionContract(() => {
    const queue = createMemoryQueue({ logger: quiet, lanes: JOB_LANES });
    return { queue, cleanup: () => queue.close() };
  });
});

describe.skipIf(!redisUrl)('job definitions on BullMQ (real Redis)', () => {
  definitionContract(() => {
    const url = redisUrl as string;
    const queueName = `lore-jobs-${randomUUID()}`;
    const queue = createBullmqQueue({ url, queueName, logger: quiet, lanes: JOB_LANES });
    return {
      queue,
      async cleanup() {
        await queue.close();
        const connection = new Redis(url, { maxRetriesPerRequest: 1 });
        for (const name of [queueName, ...Object.keys(JOB_LANES).map((lane) => `${queueName}-${lane}`)]) {
          const admin = new Queue(name, { connection, prefix: BULLMQ_PREFIX });
          await admin.obliterate({ force: true });
          await admin.close();
        }
        await connection.unlink(intakeKey(queueName));
        await connection.quit();
      },
    };
  });
});

describe('the job registry', () => {
  it('lists every job defined in src/**/*.job.ts, each once, each file exporting one definition', async () => {
    const src = path.resolve('src');
    const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.job.ts'));
    const defined: unknown[] = [];
    for (const file of files) {
      const mod: Record<string, unknown> = await import(pathToFileURL(path.join(src, file)).href);
      const defs = Object.values(mod).filter(
        (v) => typeof v === 'object' && v !== null && 'schema' in v && 'bind' in v,
      );
      expect(defs, file).toHaveLength(1);
      defined.push(...defs);
    }
    expect(new Set(JOBS)).toEqual(new Set(defined));
    expect(new Set(JOBS.map((j) => j.name)).size).toBe(JOBS.length);
  });

  it('keeps the names, attempts, backoff and lanes jobs had before they were definitions', () => {
    const shape = Object.fromEntries(
      JOBS.map((j) => [j.name, [j.attempts, j.backoffMs, j.lane ?? 'default']]),
    );
    expect(shape).toEqual({
      answer: [3, 1000, 'default'],
      ingest: [4, 2000, 'ingest'],
      'web-fetch': [2, 1000, 'ingest'],
      'web-refresh': [3, 1000, 'default'],
      'thread-save': [3, 1000, 'ingest'],
      welcome: [3, 1000, 'default'],
      'tenant-purge': [3, 1000, 'default'],
      'token-refresh': [3, 1000, 'default'],
      'usage-rollup': [3, 1000, 'default'],
      'answer-retention': [3, 1000, 'default'],
      'quota-warning': [3, 1000, 'default'],
      'admin-dm': [3, 1000, 'default'],
      'announcement-dm': [3, 1000, 'default'],
      // Minutes per build: a lane of its own (concurrency 1), and a failed build waits for the next hourly run.
      'vector-indexes': [1, 1000, 'maintenance'],
    });
    expect(JOB_LANES).toEqual({
      ingest: ['ingest', 'web-fetch', 'thread-save'],
      maintenance: ['vector-indexes'],
    });
    const versionId = randomUUID();
    const ingest = { v: 1 as const, tenantId, documentId: randomUUID(), versionId };
    expect(ingestJob.jobId?.(ingest)).toBe(`ingest-${versionId}`);
    expect(ingestJob.jobId?.({ ...ingest, force: true })).toMatch(new RegExp(`^reindex-${versionId}-\\d+$`));
  });
});
