import type { UsageBreakdownDto, UsageDayDto } from '../contracts/usage.contract.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { readUsageBreakdown, readUsageDays } from './usage-rollup.repo.js';

/** One day of a tenant's usage (UTC). */
export type UsageDay = UsageDayDto;

/** Questions, tokens and cost for one channel or one user. */
export type UsageBreakdown = UsageBreakdownDto;

export interface UsageReport {
  from: string;
  to: string;
  days: UsageDay[];
  byChannel: UsageBreakdown[];
  byUser: UsageBreakdown[];
  /** Latency over the whole period: the sum and count behind an exact mean (percentiles do not add up). */
  latency: { sumMs: number; count: number };
}

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
const TOP = 25;

/**
 * A tenant's usage over whole UTC days `from`..`to`: questions, outcomes and latency from answers, tokens and
 * cost from metered usage events, votes from feedback, per day and by channel and user (top 25). Complete days
 * come from the rollup (usage-rollup job), so a year costs little more than a week; today and any day not
 * rolled (or changed since) are counted from the raw tables the same way: the numbers never depend on it.
 */
export async function getUsageReport(
  db: Database,
  tenantId: string,
  from: string,
  to: string,
): Promise<UsageReport> {
  return withTenant(db, tenantId, async (c) => {
    const rows = await readUsageDays(c, from, to);
    const latency = { sumMs: 0, count: 0 };
    const days = rows.map(({ latencySumMs, latencyCount, ...day }) => {
      latency.sumMs += latencySumMs;
      latency.count += latencyCount;
      return day;
    });
    return {
      from,
      to,
      days,
      byChannel: await readUsageBreakdown(c, from, to, 'slack_channel_id', TOP),
      byUser: await readUsageBreakdown(c, from, to, 'slack_user_id', TOP),
      latency,
    };
  });
}
