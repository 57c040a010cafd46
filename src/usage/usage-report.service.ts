import type { UsageBreakdownDto, UsageDayDto } from '../contracts/usage.contract.js';
import type { Database, DbClient } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { USAGE_TOTALS_CTES } from './usage-totals.repo.js';

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

// Which days of $1..$2 come from where: the rollup tables hold every day through the state's rolled_through
// except the tenant's stale (changed since rolled) days; the rest (today, days not rolled yet: `bounds`, and
// the stale days: `scope`) is counted from the raw tables by the same SQL the rollup job uses.
const SOURCES = `
  bounds AS (SELECT greatest($1::date, coalesce((SELECT rolled_through + 1 FROM lore.usage_rollup_state), $1::date)) AS range_from,
                    $2::date AS range_to),
  scope AS (SELECT s.tenant_id, s.day FROM lore.usage_daily_stale s, bounds b
            WHERE s.day >= $1::date AND s.day <= $2::date AND s.day < b.range_from),
  ${USAGE_TOTALS_CTES}`;
const ROLLED = (table: string) => `
  SELECT r.* FROM lore.${table} r, bounds b
  WHERE r.day >= $1::date AND r.day <= $2::date AND r.day < b.range_from
    AND NOT EXISTS (SELECT 1 FROM scope s WHERE s.tenant_id = r.tenant_id AND s.day = r.day)`;
const DAY_COLUMNS = `day, questions, answered, unanswered, prompt_tokens, completion_tokens, cost_usd, latency_ms_sum,
  latency_count, p95_latency_ms, thumbs_up, thumbs_down`;

interface DayRow extends UsageDay {
  latencySumMs: number;
  latencyCount: number;
}

async function dailySeries(c: DbClient, from: string, to: string): Promise<DayRow[]> {
  const { rows } = await c.query<DayRow>(
    `WITH ${SOURCES},
     totals AS (SELECT ${DAY_COLUMNS} FROM day_totals UNION ALL SELECT ${DAY_COLUMNS} FROM (${ROLLED('usage_daily')}) r)
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(t.questions, 0) AS questions,
            coalesce(t.answered, 0) AS answered, coalesce(t.unanswered, 0) AS unanswered,
            coalesce(t.prompt_tokens, 0)::float8 AS "promptTokens", coalesce(t.completion_tokens, 0)::float8 AS "completionTokens",
            round(coalesce(t.cost_usd::float8, 0)::numeric, 6)::float8 AS "costUsd",
            round((t.latency_ms_sum::numeric / nullif(t.latency_count, 0))::float8)::float8 AS "avgLatencyMs",
            round(t.p95_latency_ms)::float8 AS "p95LatencyMs",
            coalesce(t.thumbs_up, 0) AS "thumbsUp", coalesce(t.thumbs_down, 0) AS "thumbsDown",
            coalesce(t.latency_ms_sum, 0)::float8 AS "latencySumMs", coalesce(t.latency_count, 0) AS "latencyCount"
     FROM (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d) days
     LEFT JOIN totals t USING (day)
     ORDER BY days.day`,
    [from, to],
  );
  return rows;
}

async function breakdown(
  c: DbClient,
  from: string,
  to: string,
  column: 'slack_channel_id' | 'slack_user_id',
): Promise<UsageBreakdown[]> {
  const { rows } = await c.query<UsageBreakdown>(
    `WITH ${SOURCES},
     parts AS (SELECT ${column} AS key, questions, tokens, cost_usd FROM breakdown_totals
               UNION ALL SELECT ${column}, questions, tokens, cost_usd FROM (${ROLLED('usage_daily_breakdown')}) r)
     SELECT key, sum(questions)::int AS questions, sum(tokens)::float8 AS tokens,
            round(sum(cost_usd)::float8::numeric, 6)::float8 AS "costUsd"
     FROM parts GROUP BY key
     ORDER BY 2 DESC, 3 DESC, 1 LIMIT ${TOP}`,
    [from, to],
  );
  return rows;
}

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
    const rows = await dailySeries(c, from, to);
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
      byChannel: await breakdown(c, from, to, 'slack_channel_id'),
      byUser: await breakdown(c, from, to, 'slack_user_id'),
      latency,
    };
  });
}
