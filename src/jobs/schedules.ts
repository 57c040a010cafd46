import { ANSWER_RETENTION_EVERY_MS, answerRetentionJob } from '../ai/answer-retention.job.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { VECTOR_INDEXES_EVERY_MS, vectorIndexesJob } from '../knowledge/retrieval/vector-indexes.job.js';
import { WEB_REFRESH_EVERY_MS, webRefreshJob } from '../knowledge/web/web-refresh.job.js';
import { tokenRefreshJob } from '../tenants/installations/token-refresh.job.js';
import { tenantPurgeJob } from '../tenants/lifecycle/tenant-purge.job.js';
import { USAGE_ROLLUP_EVERY_MS, usageRollupJob } from '../usage/usage-rollup.job.js';

/** Recurring jobs: schedule key → job and interval. Every worker upserts them at start; they run once per interval. */
const SCHEDULES = [
  // Tokens are refreshed within two hours of expiry; every 30 minutes leaves room for a failed run or two.
  { key: 'schedule-token-refresh', job: tokenRefreshJob, everyMs: 30 * 60_000 },
  { key: 'schedule-tenant-purge', job: tenantPurgeJob, everyMs: 6 * 60 * 60_000 },
  { key: 'schedule-usage-rollup', job: usageRollupJob, everyMs: USAGE_ROLLUP_EVERY_MS },
  { key: 'schedule-web-refresh', job: webRefreshJob, everyMs: WEB_REFRESH_EVERY_MS },
  { key: 'schedule-answer-retention', job: answerRetentionJob, everyMs: ANSWER_RETENTION_EVERY_MS },
  { key: 'schedule-vector-indexes', job: vectorIndexesJob, everyMs: VECTOR_INDEXES_EVERY_MS },
] as const;

/** Schedules every recurring job (idempotent: a schedule with the same key is replaced). */
export async function scheduleRecurringJobs(queue: JobQueue): Promise<void> {
  for (const s of SCHEDULES) {
    // The payload goes through the job's schema, as if queued once, so a schedule never carries a bad one.
    const payload = s.job.schema.parse({ v: 1 });
    await queue.schedule(s.key, s.job.name, payload, { everyMs: s.everyMs });
  }
}
