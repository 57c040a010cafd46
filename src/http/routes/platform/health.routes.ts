import { Router } from 'express';
import { failedJobParams, type PlatformHealthDto } from '../../../contracts/health.contract.js';
import type { Database } from '../../../infra/db/database.js';
import type { Metrics } from '../../../infra/metrics.js';
import { metricsSummary } from '../../../infra/metrics-summary.js';
import { type JobQueue, WAITING_SAMPLE } from '../../../infra/queue/job-queue.js';
import { ingestionFailures } from '../../../knowledge/ingestion-health.service.js';
import { actOnFailedJob } from '../../../tenants/failed-jobs.service.js';
import type { InstallationHealth } from '../../../tenants/installations/installation-health.service.js';
import { quietestTenants } from '../../../tenants/read-models/tenant-activity.service.js';
import { parseIds } from '../../middleware/validate.js';
import { CHECK_TIMEOUT_MS, type ReadinessCheck, withTimeout } from '../health.routes.js';

export interface PlatformHealthDeps {
  db: Database;
  queue: JobQueue;
  metrics: Metrics;
  health: Pick<InstallationHealth, 'count'>;
  checks: ReadinessCheck[];
  slackEventsPath: string;
}

const operatorOf = (req: Express.Request) => `operator:${req.dashboardSession?.slackUserId ?? 'unknown'}`;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * `GET /api/platform/health`: the operator's health view, from what Lore already keeps (the readiness
 * checks, the queue's counts, a bounded sample of its waiting jobs and its failed list, failed documents
 * through a partial index, broken installations, this process's /metrics counters, the quietest workspaces
 * through a partial index): nothing is computed over all rows per request.
 * `POST /api/platform/health/failed-jobs/:id/retry` runs a failed job again, `.../discard` removes it for
 * good; both are audited.
 */
export function platformHealthRoutes(deps: PlatformHealthDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const [checks, queue, waiting, failed, failures, broken, counters, quiet] = await Promise.all([
      Promise.all(
        deps.checks.map((c) =>
          withTimeout(c.check(), CHECK_TIMEOUT_MS).then(
            () => ({ name: c.name, ok: true, error: null }),
            (err: unknown) => ({ name: c.name, ok: false, error: errorText(err) }),
          ),
        ),
      ),
      deps.queue.counts(),
      deps.queue.waiting({ sample: WAITING_SAMPLE }),
      deps.queue.failed(50),
      ingestionFailures(deps.db),
      deps.health.count(),
      metricsSummary(deps.metrics, deps.slackEventsPath),
      quietestTenants(deps.db),
    ]);
    const byJob = new Map<string, number>();
    for (const j of failed) byJob.set(j.name, (byJob.get(j.name) ?? 0) + 1);
    const body: PlatformHealthDto = {
      checkedAt: new Date().toISOString(),
      checks,
      queue: { ...queue },
      queueDepth: {
        jobs: waiting.byName.map((j) => ({
          name: j.name,
          waiting: j.waiting,
          oldestQueuedAt: j.oldestQueuedAt?.toISOString() ?? null,
        })),
        sampled: waiting.sampled,
        sampleSize: WAITING_SAMPLE,
      },
      // Never the payload: it carries questions and tenant data.
      failedJobs: failed.map((j) => ({
        id: j.id,
        name: j.name,
        attempts: j.attempts,
        error: errorText(j.error),
        failedAt: j.failedAt.toISOString(),
      })),
      failedByJob: [...byJob].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
      ingestionFailures: failures,
      brokenInstallations: broken,
      ...counters,
      quietTenants: quiet.map((t) => ({ ...t, lastActivityAt: t.lastActivityAt?.toISOString() ?? null })),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });
  router.post('/health/failed-jobs/:id/retry', async (req, res) => {
    const { id } = parseIds(failedJobParams, req.params, 'Failed job');
    await actOnFailedJob(deps, 'retry', id, operatorOf(req));
    res.status(202).json({ retried: id });
  });
  router.post('/health/failed-jobs/:id/discard', async (req, res) => {
    const { id } = parseIds(failedJobParams, req.params, 'Failed job');
    await actOnFailedJob(deps, 'discard', id, operatorOf(req));
    res.json({ discarded: id });
  });
  return router;
}
