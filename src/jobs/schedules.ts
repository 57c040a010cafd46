import type { JobQueue } from '../infra/queue/job-queue.js';
import { TENANT_PURGE_JOB } from '../tenants/tenant-purge.job.js';
import { TOKEN_REFRESH_JOB } from '../tenants/token-refresh.job.js';
import { USAGE_ROLLUP_EVERY_MS, USAGE_ROLLUP_JOB } from '../usage/usage-rollup.job.js';

/** Recurring jobs: schedule key → job and interval. Every worker upserts them at start; they run once per interval. */
const SCHEDULES = [
  // Tokens are refreshed within two hours of expiry; every 30 minutes leaves room for a failed run or two.
  { key: 'schedule-token-refresh', job: TOKEN_REFRESH_JOB, everyMs: 30 * 60_000 },
  { key: 'schedule-tenant-purge', job: TENANT_PURGE_JOB, everyMs: 6 * 60 * 60_000 },
  { key: 'schedule-usage-rollup', job: USAGE_ROLLUP_JOB, everyMs: USAGE_ROLLUP_EVERY_MS },
] as const;

/** Schedules every recurring job (idempotent: a schedule with the same key is replaced). */
export async function scheduleRecurringJobs(queue: JobQueue): Promise<void> {
  for (const s of SCHEDULES) await queue.schedule(s.key, s.job, { v: 1 }, { everyMs: s.everyMs });
}
