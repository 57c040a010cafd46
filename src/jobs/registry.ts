import { ANSWER_JOB, type AnswerJobDeps, createAnswerJob } from '../ai/answer.job.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import { createIngestJob, type IngestDeps } from '../knowledge/ingest.job.js';
import { INGEST_JOB } from '../knowledge/ingest-queue.js';
import { WELCOME_JOB } from '../tenants/provisioning.service.js';
import { type PurgeDeps, TENANT_PURGE_JOB, tenantPurgeJob } from '../tenants/tenant-purge.job.js';
import { TOKEN_REFRESH_JOB, TOKEN_REFRESH_WINDOW_MS, tokenRefreshJob } from '../tenants/token-refresh.job.js';
import { type SendWelcome, welcomeJob } from '../tenants/welcome.job.js';
import { USAGE_ROLLUP_JOB, usageRollupJob } from '../usage/usage-rollup.job.js';

/**
 * Every job the worker runs, in one list: `name → handler`. Feature modules own the handlers
 * (`src/<feature>/<name>.job.ts`); adding a job is one line here.
 */
export type JobRegistry = Record<string, JobHandler>;

/** The services job handlers may use. */
export type JobServices = IngestDeps & TenantJobServices & { answer: AnswerJobServices };

/** What the answer job needs beyond the database and logger: Slack replier, retrieval, model choice, limits. */
export type AnswerJobServices = Omit<AnswerJobDeps, 'db' | 'logger'>;

/** What the tenant jobs (welcome DM, purge, token refresh) need beyond the database and logger. */
export interface TenantJobServices {
  sendWelcome: SendWelcome;
  refreshTenantTokens: (tenantId: string) => Promise<boolean>;
  purge: Pick<PurgeDeps, 'graceDays' | 'purgeFiles'>;
}

/** Builds the registry. */
export function createJobRegistry(services: JobServices): JobRegistry {
  return {
    [INGEST_JOB]: createIngestJob(services),
    [ANSWER_JOB]: createAnswerJob({ ...services.answer, db: services.db, logger: services.logger }),
    [WELCOME_JOB]: welcomeJob(services),
    [TENANT_PURGE_JOB]: tenantPurgeJob({ ...services, ...services.purge }),
    [TOKEN_REFRESH_JOB]: tokenRefreshJob({
      ...services,
      refreshTenant: services.refreshTenantTokens,
      windowMs: TOKEN_REFRESH_WINDOW_MS,
    }),
    [USAGE_ROLLUP_JOB]: usageRollupJob(services),
  };
}
