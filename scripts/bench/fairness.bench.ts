import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BULLMQ_PREFIX, createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import { REDIS_KEY_PREFIX } from '../../src/infra/redis/redis-connection.js';
import { createLogger } from '../../src/logger.js';
import { quantile } from './load.js';
import { reportBench } from './report.js';

/**
 * Fairness between tenants on real Redis with real worker processes: workspace A queues a burst of
 * questions at once, workspace B asks one a second meanwhile. Measured twice in one run: the plain queue
 * (TENANT_JOB_CONCURRENCY=0, the baseline) and Lore's per-tenant limit. Needs REDIS_URL.
 * Sizes: BENCH_FAIRNESS_BURST (1000), BENCH_FAIRNESS_JOB_MS (2000, a faked answer), BENCH_FAIRNESS_WORKERS
 * (2 processes × 4 jobs), BENCH_FAIRNESS_B (20 questions), BENCH_FAIRNESS_LIMIT (3).
 */
const url = process.env.REDIS_URL;
if (!url) {
  process.stdout.write('fairness: skipped (set REDIS_URL to a Redis this benchmark may use)\n');
  process.exit(0);
}
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BURST = env('BENCH_FAIRNESS_BURST', 1000);
const JOB_MS = env('BENCH_FAIRNESS_JOB_MS', 2000);
const WORKERS = env('BENCH_FAIRNESS_WORKERS', 2);
const CONCURRENCY = 4;
const B_QUESTIONS = env('BENCH_FAIRNESS_B', 20);
const LIMIT = env('BENCH_FAIRNESS_LIMIT', 3);
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fairness-worker.child.ts');
const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Start {
  tenantId: string;
  queuedAt: number;
  startedAt: number;
  attempt: number;
}

function startWorker(queueName: string, limit: number, starts: Start[]): Promise<ChildProcess> {
  const args = [child, url as string, queueName, String(CONCURRENCY), String(limit), String(JOB_MS)];
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') resolve(proc);
        else if (line.startsWith('{')) starts.push(JSON.parse(line) as Start);
      }
    });
    proc.once('exit', (code) => reject(new Error(`fairness worker exited early (${code})`)));
  });
}

async function scenario(limit: number) {
  const queueName = `lore-scale-bench-fair-${randomUUID()}`;
  const producer = createBullmqQueue({ url: url as string, queueName, logger });
  const starts: Start[] = [];
  // The burst is queued before the workers start, so every B question lands behind all of it.
  for (let i = 0; i < BURST; i += 100) {
    const n = Math.min(100, BURST - i);
    await Promise.all(
      Array.from({ length: n }, () =>
        producer.enqueue('answer', { tenantId: 'tenant-a', queuedAt: Date.now() }, { attempts: 1 }),
      ),
    );
  }
  const workers = await Promise.all(
    Array.from({ length: WORKERS }, () => startWorker(queueName, limit, starts)),
  );
  const began = Date.now();
  for (let i = 0; i < B_QUESTIONS; i++) {
    await producer.enqueue('answer', { tenantId: 'tenant-b', queuedAt: Date.now() }, { attempts: 1 });
    await sleep(1000);
  }
  // B's last question gets the time of one answer plus some to start.
  await sleep(JOB_MS + 3000);
  const ended = Date.now();
  await Promise.all(
    workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve()).kill('SIGTERM'))),
  );
  await producer.close();
  await dropQueue(queueName);
  const bStarts = starts.filter((s) => s.tenantId === 'tenant-b');
  // A B question not started by the end counts as waiting until the end: a lower bound.
  const waits = bStarts.map((s) => s.startedAt - s.queuedAt);
  const notStarted = B_QUESTIONS - bStarts.length;
  for (let i = 0; i < notStarted; i++) waits.push(ended - (began + i * 1000));
  waits.sort((a, b) => a - b);
  const aStarted = starts.filter((s) => s.tenantId === 'tenant-a' && s.startedAt >= began).length;
  return {
    p50: quantile(waits, 0.5),
    p95: quantile(waits, 0.95),
    notStarted,
    aPerSecond: aStarted / ((ended - began) / 1000),
    spentAttempts: starts.filter((s) => s.attempt !== 1).length,
  };
}

async function dropQueue(queueName: string): Promise<void> {
  const connection = new Redis(url as string, { maxRetriesPerRequest: 1 });
  const admin = new Queue(queueName, { connection, prefix: BULLMQ_PREFIX });
  await admin.obliterate({ force: true });
  await admin.close();
  await connection.unlink(intakeKey(queueName));
  const keys = await connection.keys(`${REDIS_KEY_PREFIX}fair:${queueName}:*`);
  if (keys.length > 0) await connection.del(...keys);
  await connection.quit();
}

const plain = await scenario(0);
const fair = await scenario(LIMIT);
process.stdout.write(
  `fairness: B questions not started by the end: plain ${plain.notStarted}, per-tenant limit ${fair.notStarted}; ` +
    `attempts spent by waiting: ${plain.spentAttempts} / ${fair.spentAttempts}\n`,
);
reportBench({
  name: 'fairness',
  description: `workspace A queues ${BURST} questions of ${JOB_MS} ms, B asks 1/s for ${B_QUESTIONS} s; ${WORKERS} worker processes × ${CONCURRENCY}; baseline = plain queue, lore = per-tenant limit ${LIMIT}`,
  rows: [
    { metric: "B's question → start p50 (ms)", baseline: plain.p50, lore: fair.p50 },
    { metric: "B's question → start p95 (ms)", baseline: plain.p95, lore: fair.p95 },
    { metric: "A's answers started per second", baseline: plain.aPerSecond, lore: fair.aPerSecond },
  ],
});
