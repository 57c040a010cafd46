import { answerJob } from '../ai/answer.job.js';
import { answerRetentionJob } from '../ai/answer-retention.job.js';
import { type JobDeps, lanesOf } from '../infra/queue/job-definition.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import { ingestJob } from '../knowledge/ingest.job.js';
import { vectorIndexesJob } from '../knowledge/retrieval/vector-indexes.job.js';
import { threadSaveJob } from '../knowledge/threads/thread-save.job.js';
import { webFetchJob } from '../knowledge/web/web-fetch.job.js';
import { webRefreshJob } from '../knowledge/web/web-refresh.job.js';
import { tokenRefreshJob } from '../tenants/installations/token-refresh.job.js';
import { welcomeJob } from '../tenants/installations/welcome.job.js';
import { tenantPurgeJob } from '../tenants/lifecycle/tenant-purge.job.js';
import { adminDmJob } from '../tenants/notices/admin-dm.job.js';
import { announcementDmJob } from '../tenants/notices/announcement-dm.job.js';
import { quotaWarningJob } from '../usage/quota-warning.job.js';
import { usageRollupJob } from '../usage/usage-rollup.job.js';

/**
 * Every job the worker runs. Feature modules own the definitions (`src/<feature>/<name>.job.ts`, made with
 * `defineJob`); adding a job is that file plus one line here.
 */
export const JOBS = [
  answerJob,
  ingestJob,
  webFetchJob,
  webRefreshJob,
  threadSaveJob,
  welcomeJob,
  tenantPurgeJob,
  tokenRefreshJob,
  usageRollupJob,
  answerRetentionJob,
  quotaWarningJob,
  adminDmJob,
  announcementDmJob,
  vectorIndexesJob,
] as const;

/** Job name → the handler the worker runs (payload checked against the job's schema first). */
export type JobRegistry = Record<string, JobHandler>;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The services the jobs need, all together: what `jobServices()` in `src/main.ts` builds once. */
export type JobServices = Intersection<JobDeps<(typeof JOBS)[number]>>;

/** The queue lanes the jobs ask for (lane → job names); web and worker processes both use these. */
export const JOB_LANES = lanesOf(JOBS);

/** Builds the registry: each job's handler bound to the services. */
export function createJobRegistry(services: JobServices): JobRegistry {
  return Object.fromEntries(JOBS.map((job) => [job.name, job.bind(services)]));
}
