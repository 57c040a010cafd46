import { z } from 'zod';
import type { Database } from '../infra/db/database.js';
import { defineJob } from '../infra/queue/job-definition.js';
import type { Logger } from '../logger.js';
import { rollUpUsage } from './usage-rollup.repo.js';

export { REROLL_DAYS, rollUpUsage, type UsageRollupResult } from './usage-rollup.repo.js';

/** How often it runs: a finished day is rolled within the hour (the dashboard reads it raw until then). */
export const USAGE_ROLLUP_EVERY_MS = 60 * 60_000;

/** The scheduled job that rolls complete UTC days of usage into usage_daily and usage_daily_breakdown. */
export const usageRollupJob = defineJob({
  name: 'usage-rollup',
  schema: z.object({ v: z.literal(1) }),
  handler: (deps: { db: Database; logger: Logger }) => async () => {
    const result = await rollUpUsage(deps.db);
    deps.logger.info(result, 'usage rolled up');
  },
});
