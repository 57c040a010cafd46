import type { JobHandler } from '../infra/queue/job-queue.js';

/**
 * Every job the worker runs, in one list: `name → handler`. Feature modules own the handlers
 * (`src/<feature>/<name>.job.ts`); adding a job is one line here.
 */
export type JobRegistry = Record<string, JobHandler>;

/** The services job handlers may use; grows as features add jobs. */
export type JobServices = Record<string, never>;

/** Builds the registry. Empty until the first feature job lands (ingest, answer, welcome, rollups). */
export function createJobRegistry(_services: JobServices): JobRegistry {
  return {};
}
