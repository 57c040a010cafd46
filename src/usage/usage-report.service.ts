import type { Database, DbClient } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';

/** One day of a tenant's usage (UTC). */
export interface UsageDay {
  day: string;
  questions: number;
  answered: number;
  unanswered: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  thumbsUp: number;
  thumbsDown: number;
}

/** Questions, tokens and cost for one channel or one user. */
export interface UsageBreakdown {
  key: string;
  questions: number;
  tokens: number;
  costUsd: number;
}

export interface UsageReport {
  from: string;
  to: string;
  days: UsageDay[];
  byChannel: UsageBreakdown[];
  byUser: UsageBreakdown[];
}

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
const TOP = 25;

// Bounds of a period of whole UTC days: [$1 00:00, $2 + 1 day 00:00).
const IN_PERIOD = (col: string) =>
  `${col} >= ($1::date)::timestamp AT TIME ZONE 'UTC' AND ${col} < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`;
const DAY_OF = (col: string) => `(${col} AT TIME ZONE 'UTC')::date`;

async function dailySeries(c: DbClient, from: string, to: string): Promise<UsageDay[]> {
  const { rows } = await c.query<UsageDay>(
    `WITH days AS (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d),
     a AS (SELECT ${DAY_OF('created_at')} AS day, count(*)::int AS questions,
                  count(*) FILTER (WHERE outcome IN ('answered', 'extractive'))::int AS answered,
                  count(*) FILTER (WHERE outcome = 'no_sources')::int AS unanswered,
                  avg(latency_ms)::float8 AS avg_latency,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95_latency
           FROM lore.answers WHERE ${IN_PERIOD('created_at')} GROUP BY 1),
     u AS (SELECT ${DAY_OF('created_at')} AS day, sum(prompt_tokens)::float8 AS prompt, sum(completion_tokens)::float8 AS completion,
                  sum(cost_usd)::float8 AS cost
           FROM lore.usage_events WHERE ${IN_PERIOD('created_at')} GROUP BY 1),
     f AS (SELECT ${DAY_OF('updated_at')} AS day, count(*) FILTER (WHERE vote = 1)::int AS up,
                  count(*) FILTER (WHERE vote = -1)::int AS down
           FROM lore.answer_feedback WHERE ${IN_PERIOD('updated_at')} GROUP BY 1)
     SELECT to_char(days.day, 'YYYY-MM-DD') AS day, coalesce(a.questions, 0) AS questions,
            coalesce(a.answered, 0) AS answered, coalesce(a.unanswered, 0) AS unanswered,
            coalesce(u.prompt, 0) AS "promptTokens", coalesce(u.completion, 0) AS "completionTokens",
            round(coalesce(u.cost, 0)::numeric, 6)::float8 AS "costUsd",
            round(a.avg_latency)::float8 AS "avgLatencyMs", round(a.p95_latency)::float8 AS "p95LatencyMs",
            coalesce(f.up, 0) AS "thumbsUp", coalesce(f.down, 0) AS "thumbsDown"
     FROM days LEFT JOIN a USING (day) LEFT JOIN u USING (day) LEFT JOIN f USING (day)
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
) {
  const { rows } = await c.query<UsageBreakdown>(
    `WITH q AS (SELECT ${column} AS key, count(*)::int AS questions FROM lore.answers
                WHERE ${IN_PERIOD('created_at')} GROUP BY 1),
          t AS (SELECT ${column} AS key, sum(total_tokens)::float8 AS tokens, sum(cost_usd)::float8 AS cost
                FROM lore.usage_events WHERE kind = 'answer' AND ${IN_PERIOD('created_at')} GROUP BY 1)
     SELECT coalesce(q.key, t.key) AS key, coalesce(q.questions, 0) AS questions, coalesce(t.tokens, 0) AS tokens,
            round(coalesce(t.cost, 0)::numeric, 6)::float8 AS "costUsd"
     FROM q FULL JOIN t ON t.key = q.key
     ORDER BY 2 DESC, 3 DESC, 1 LIMIT ${TOP}`,
    [from, to],
  );
  return rows;
}

/**
 * A tenant's usage over whole UTC days `from`..`to`: questions, outcomes and latency from answers, tokens and
 * cost from metered usage events, votes from feedback, per day and by channel and user (top 25).
 */
export async function getUsageReport(
  db: Database,
  tenantId: string,
  from: string,
  to: string,
): Promise<UsageReport> {
  return withTenant(db, tenantId, async (c) => ({
    from,
    to,
    days: await dailySeries(c, from, to),
    byChannel: await breakdown(c, from, to, 'slack_channel_id'),
    byUser: await breakdown(c, from, to, 'slack_user_id'),
  }));
}
