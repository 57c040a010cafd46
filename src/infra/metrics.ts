import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics. Label values are bounded sets (routes, job names, outcomes): never tenant ids. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobsProcessed: Counter<'job' | 'outcome'>;
  slackRateLimited: Counter<'method'>;
  httpRateLimited: Counter<'limit'>;
  queueDepth: Gauge<'state'>;
  brokenInstallations: Gauge;
}

/** Creates a registry of its own (so tests and several apps in one process never collide). */
export function createMetrics(
  opts: {
    queueCounts?: () => Promise<Record<string, number>>;
    /** How many installations Slack refused the token of (read at scrape time: one row per tenant). */
    brokenInstallations?: () => Promise<number>;
  } = {},
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lore_' });
  const queueCounts = opts.queueCounts;
  return {
    registry,
    httpDuration: new Histogram({
      name: 'lore_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    jobsProcessed: new Counter({
      name: 'lore_jobs_processed_total',
      help: 'Jobs finished, by job name and outcome',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
    slackRateLimited: new Counter({
      name: 'lore_slack_rate_limited_total',
      help: 'Slack Web API calls that were rate limited',
      labelNames: ['method'],
      registers: [registry],
    }),
    httpRateLimited: new Counter({
      name: 'lore_http_rate_limited_total',
      help: "HTTP requests refused with 429 by Lore's own rate limits, by limit",
      labelNames: ['limit'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'lore_queue_jobs',
      help: 'Jobs in the queue by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        if (!queueCounts) return;
        const counts = await queueCounts().catch(() => undefined);
        for (const [state, n] of Object.entries(counts ?? {})) this.set({ state }, n);
      },
    }),
    brokenInstallations: new Gauge({
      name: 'lore_broken_installations',
      help: 'Installations whose Slack token Slack refused, until they are reinstalled',
      registers: [registry],
      async collect() {
        const n = await opts.brokenInstallations?.().catch(() => undefined);
        if (n !== undefined) this.set(n);
      },
    }),
  };
}
