import { Writable } from 'node:stream';
import { createBullmqQueue } from '../../src/infra/queue/bullmq-queue.js';
import { createLogger } from '../../src/logger.js';

/**
 * A worker process for fairness.bench.ts: Lore's BullMQ adapter with a stand-in answer job that takes
 * `jobMs` (a faked model). Prints one JSON line per job start, so the bench sees when each question began.
 */
const [url, queueName, concurrency, tenantLimit, jobMs] = process.argv.slice(2);
const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const queue = createBullmqQueue({ url: url ?? '', queueName, logger });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await queue.startWorker(
  {
    answer: async (payload, ctx) => {
      const { tenantId, queuedAt } = payload as { tenantId: string; queuedAt: number };
      process.stdout.write(
        `${JSON.stringify({ tenantId, queuedAt, startedAt: Date.now(), attempt: ctx.attempt })}\n`,
      );
      await sleep(Number(jobMs));
    },
  },
  { concurrency: Number(concurrency), tenantConcurrency: Number(tenantLimit) },
);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void queue.close().then(() => process.exit(0));
});
