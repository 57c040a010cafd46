import type { Metrics } from './metrics.js';

/** The sum of a metric's samples whose labels match `where` (this process's counters since it started). */
async function sumOf(
  metric: {
    get(): Promise<{
      values: Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>;
    }>;
  },
  where: (labels: Record<string, unknown>, name: string | undefined) => boolean,
): Promise<number> {
  const { values } = await metric.get();
  return values.filter((v) => where(v.labels, v.metricName)).reduce((n, v) => n + v.value, 0);
}

/**
 * What the operator's health view reads from /metrics: Slack deliveries and their 5xx share, token-refresh
 * outcomes, rate-limit refusals. Counters are per process: each web process reports its own deliveries.
 */
export async function metricsSummary(m: Metrics, slackEventsPath: string) {
  const delivery = (status: (s: number) => boolean) =>
    sumOf(
      m.httpDuration,
      (l, name) =>
        name?.endsWith('_count') === true && l.route === slackEventsPath && status(Number(l.status)),
    );
  const [total, failed, refreshOk, refreshFailed, limited] = await Promise.all([
    delivery(() => true),
    delivery((s) => s >= 500),
    sumOf(m.jobsProcessed, (l) => l.job === 'token-refresh' && l.outcome === 'completed'),
    sumOf(m.jobsProcessed, (l) => l.job === 'token-refresh' && l.outcome === 'failed_attempt'),
    sumOf(m.httpRateLimited, () => true),
  ]);
  return {
    slackDeliveries: { total, failed, errorRate: total > 0 ? failed / total : 0 },
    tokenRefresh: { completed: refreshOk, failed: refreshFailed },
    httpRateLimited: limited,
  };
}
