import { Writable } from 'node:stream';
import express from 'express';
import { createHttpApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createLogger } from '../../src/logger.js';
import { listen, load } from './load.js';
import { reportBench } from './report.js';

/**
 * What Lore's HTTP stack (request ids, pino-http with redaction, helmet, metrics, JSON errors) costs per
 * request, against a bare Express app answering the same route, measured in the same process.
 */
const bare = express();
bare.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

// Real logging work, discarded output: the cost of serialising and redacting is what we measure.
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const lore = createHttpApp({
  logger: createLogger({ level: 'info', destination: sink }),
  metrics: createMetrics(),
  readiness: [],
  isShuttingDown: () => false,
});

const a = await listen(bare);
const b = await listen(lore);
const opts = { total: 4000, concurrency: 32 };
// Warm both (JIT, connection pools), then alternate rounds so machine noise hits both alike.
await load(`${a.url}/healthz`, { total: 500, concurrency: 8 });
await load(`${b.url}/healthz`, { total: 500, concurrency: 8 });
const bareRuns = [];
const loreRuns = [];
for (let round = 0; round < 3; round++) {
  bareRuns.push(await load(`${a.url}/healthz`, opts));
  loreRuns.push(await load(`${b.url}/healthz`, opts));
}
await a.close();
await b.close();

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
const bareRps = median(bareRuns.map((r) => r.perSecond));
const loreRps = median(loreRuns.map((r) => r.perSecond));
reportBench({
  name: 'http-overhead',
  description: 'GET /healthz through Lore middleware vs bare Express (same process, 3 alternating rounds)',
  rows: [
    { metric: 'throughput (req/s)', baseline: bareRps, lore: loreRps, ratio: loreRps / bareRps },
    {
      metric: 'p50 latency (ms)',
      baseline: median(bareRuns.map((r) => r.p50Ms)),
      lore: median(loreRuns.map((r) => r.p50Ms)),
    },
    {
      metric: 'p99 latency (ms)',
      baseline: median(bareRuns.map((r) => r.p99Ms)),
      lore: median(loreRuns.map((r) => r.p99Ms)),
    },
  ],
});
