import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';
import { getPlanLimits } from '../tenants/plans.repo.js';
import { nextMonthStart } from './limits.service.js';
import { quotaWarningJob } from './quota-warning.job.js';
import {
  claimQuotaWarning,
  type QuotaName,
  type QuotaWarning,
  type Threshold,
} from './quota-warnings.repo.js';
import { platformUsageBetween } from './usage.repo.js';

const THRESHOLDS: readonly Threshold[] = [80, 100];

/** The first instant of `now`'s UTC month. */
export const monthStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
/** A month as the warnings table names it: its first day, `YYYY-MM-DD`. */
export const monthKey = (now: Date) => monthStart(now).toISOString().slice(0, 10);

/**
 * Claims every monthly-quota threshold the tenant has passed in `now`'s month and not yet been warned
 * about. Returns what to announce: per quota only the highest newly passed threshold (one jump from 70% to
 * 100% is one message, and both thresholds count as told).
 */
export async function claimPassedThresholds(
  db: Database,
  tenantId: string,
  now: Date,
): Promise<QuotaWarning[]> {
  return withTenant(db, tenantId, async (c) => {
    const limits = await getPlanLimits(c);
    const used = await platformUsageBetween(c, monthStart(now), nextMonthStart(now));
    const quotas: Array<[QuotaName, number, number]> = [
      ['questions', used.questions, limits.monthlyQuestionQuota],
      ['tokens', used.tokens, limits.monthlyTokenQuota],
    ];
    const announce: QuotaWarning[] = [];
    for (const [quota, n, limit] of quotas) {
      // A zero quota is an operator's "nothing on the platform key": there is no share of it to warn about.
      if (limit <= 0) continue;
      let highest: QuotaWarning | undefined;
      for (const threshold of THRESHOLDS) {
        if (n * 100 < limit * threshold) continue;
        const w: QuotaWarning = { tenantId, quota, threshold, month: monthKey(now), used: n, limit };
        if (await claimQuotaWarning(c, w)) highest = w;
      }
      if (highest) announce.push(highest);
    }
    return announce;
  });
}

/**
 * What the answer job calls after metering platform usage: newly passed thresholds are claimed (once, by the
 * database) and their DMs queued. The clock is injectable so tests can cross a month boundary.
 */
export function createQuotaWatch(deps: {
  db: Database;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
  now?: () => Date;
}): (tenantId: string) => Promise<void> {
  const now = deps.now ?? (() => new Date());
  return async (tenantId) => {
    for (const w of await claimPassedThresholds(deps.db, tenantId, now())) {
      deps.logger.info(
        { tenantId, quota: w.quota, threshold: w.threshold, month: w.month },
        'workspace passed a quota threshold',
      );
      await enqueueJob(deps.queue, quotaWarningJob, { v: 1, ...w });
    }
  };
}
