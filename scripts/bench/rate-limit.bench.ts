import { Writable } from 'node:stream';
import { Router } from 'express';
import { createHttpApp } from '../../src/http/app.js';
import { rateLimitRoutes } from '../../src/http/routes/rate-limits.routes.js';
import { createMetrics } from '../../src/infra/metrics.js';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { listen, load } from './load.js';
import { reportBench } from './report.js';

/**
 * What the HTTP rate limits cost an /api write: the same Lore HTTP stack answering POST /api/echo, with and
 * without the limits in front (limits high enough that nothing is refused), in the same process. With
 * REDIS_URL the limited app counts in Redis (one Lua call per limit per request), else in memory.
 */
const sink = new Writable({ write: (_c, _e, cb) => cb() });
const logger = createLogger({ level: 'info', destination: sink });
const echo = Router().post('/api/echo', (_req, res) => {
  res.json({ ok: true });
});
const limits = {
  signInPerMinute: 1e5,
  apiWritesPerMinute: 1e5,
  apiUploadsPerMinute: 1e5,
  perAddressPerMinute: 1e6,
  adminCliPerMinute: 1e5,
};
const kv: KeyValueStore = process.env.REDIS_URL
  ? createRedisStore(process.env.REDIS_URL)
  : createMemoryStore({ logger });
const app = (withLimits: boolean) => {
  const metrics = createMetrics();
  const limiter = rateLimitRoutes({ kv, metrics, namespace: `bench-${Date.now()}`, limits });
  return createHttpApp({
    logger,
    metrics,
    readiness: [],
    isShuttingDown: () => false,
    routers: withLimits ? [limiter, echo] : [echo],
  });
};

const a = await listen(app(false));
const b = await listen(app(true));
const init = () => ({ method: 'POST', headers: { authorization: 'Bearer lore_bench_key' } });
const opts = { total: 3000, concurrency: 32, init };
await load(`${a.url}/api/echo`, { total: 300, concurrency: 8, init });
await load(`${b.url}/api/echo`, { total: 300, concurrency: 8, init });
const plain = [];
const limited = [];
for (let round = 0; round < 3; round++) {
  plain.push(await load(`${a.url}/api/echo`, opts));
  limited.push(await load(`${b.url}/api/echo`, opts));
}
await a.close();
await b.close();
await kv.close();

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN;
const plainRps = median(plain.map((r) => r.perSecond));
const limitedRps = median(limited.map((r) => r.perSecond));
reportBench({
  name: 'rate-limit',
  description: `POST /api/echo with the HTTP rate limits (${kv.kind} store) vs without (same stack, same process, 3 alternating rounds)`,
  rows: [
    { metric: 'throughput (req/s)', baseline: plainRps, lore: limitedRps, ratio: limitedRps / plainRps },
    {
      metric: 'p50 latency (ms)',
      baseline: median(plain.map((r) => r.p50Ms)),
      lore: median(limited.map((r) => r.p50Ms)),
    },
    {
      metric: 'p99 latency (ms)',
      baseline: median(plain.map((r) => r.p99Ms)),
      lore: median(limited.map((r) => r.p99Ms)),
    },
  ],
});
