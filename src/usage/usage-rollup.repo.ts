import type { UsageBreakdownDto, UsageDayDto } from '../contracts/usage.contract.js';
import type { Database, DbClient } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import { USAGE_TOTALS_CTES } from './usage-totals.repo.js';

/**
 * Complete days rolled again on every run. A row written late in a transaction that began before midnight
 * commits after the day was rolled and, being "today" for its writer, marks nothing; the next runs catch it.
 */
export const REROLL_DAYS = 2;

export interface UsageRollupResult {
  /** The days rolled for every tenant (plus any single days of a tenant whose raw rows changed). */
  from: string;
  through: string;
  /** Changed days outside that range, rolled again for their tenant. */
  staleDays: number;
  /** Rows written (new or changed) in usage_daily and usage_daily_breakdown. */
  dayRows: number;
  breakdownRows: number;
}

// One statement, so one snapshot: the marks it clears are exactly the versions whose changes it counted (a
// mark changed meanwhile keeps its new version and stays). Rows of days left without any usage are deleted.
const ROLL_UP = `
  WITH bounds AS (SELECT $1::date AS range_from, $2::date AS range_to),
  marks AS (SELECT m.tenant_id, m.day, m.version FROM lore.usage_daily_stale m, bounds b WHERE m.day <= b.range_to),
  scope AS (SELECT m.tenant_id, m.day FROM marks m, bounds b WHERE m.day < b.range_from),
  ${USAGE_TOTALS_CTES},
  cleared AS (
    DELETE FROM lore.usage_daily_stale s USING marks m
    WHERE s.tenant_id = m.tenant_id AND s.day = m.day AND s.version = m.version),
  emptied_days AS (
    DELETE FROM lore.usage_daily d USING bounds b
    WHERE (d.day BETWEEN b.range_from AND b.range_to
           OR EXISTS (SELECT 1 FROM scope s WHERE s.tenant_id = d.tenant_id AND s.day = d.day))
      AND NOT EXISTS (SELECT 1 FROM day_totals t WHERE t.tenant_id = d.tenant_id AND t.day = d.day)),
  emptied_breakdown AS (
    DELETE FROM lore.usage_daily_breakdown d USING bounds b
    WHERE (d.day BETWEEN b.range_from AND b.range_to
           OR EXISTS (SELECT 1 FROM scope s WHERE s.tenant_id = d.tenant_id AND s.day = d.day))
      AND NOT EXISTS (SELECT 1 FROM breakdown_totals t WHERE t.tenant_id = d.tenant_id AND t.day = d.day
                        AND t.slack_channel_id = d.slack_channel_id AND t.slack_user_id = d.slack_user_id)),
  written_days AS (
    INSERT INTO lore.usage_daily AS d (tenant_id, day, questions, answered, unanswered, prompt_tokens,
      completion_tokens, embedding_tokens, cost_usd, latency_ms_sum, latency_count, p95_latency_ms, thumbs_up, thumbs_down)
    SELECT tenant_id, day, questions, answered, unanswered, prompt_tokens, completion_tokens, embedding_tokens,
           cost_usd, latency_ms_sum, latency_count, p95_latency_ms, thumbs_up, thumbs_down
    FROM day_totals
    ON CONFLICT (tenant_id, day) DO UPDATE SET
      questions = EXCLUDED.questions, answered = EXCLUDED.answered, unanswered = EXCLUDED.unanswered,
      prompt_tokens = EXCLUDED.prompt_tokens, completion_tokens = EXCLUDED.completion_tokens,
      embedding_tokens = EXCLUDED.embedding_tokens, cost_usd = EXCLUDED.cost_usd,
      latency_ms_sum = EXCLUDED.latency_ms_sum, latency_count = EXCLUDED.latency_count,
      p95_latency_ms = EXCLUDED.p95_latency_ms, thumbs_up = EXCLUDED.thumbs_up,
      thumbs_down = EXCLUDED.thumbs_down, updated_at = now()
    -- A day rolled again with the same numbers is left as it was.
    WHERE (d.questions, d.answered, d.unanswered, d.prompt_tokens, d.completion_tokens, d.embedding_tokens,
           d.cost_usd, d.latency_ms_sum, d.latency_count, d.p95_latency_ms, d.thumbs_up, d.thumbs_down)
      IS DISTINCT FROM (EXCLUDED.questions, EXCLUDED.answered, EXCLUDED.unanswered, EXCLUDED.prompt_tokens,
           EXCLUDED.completion_tokens, EXCLUDED.embedding_tokens, EXCLUDED.cost_usd, EXCLUDED.latency_ms_sum,
           EXCLUDED.latency_count, EXCLUDED.p95_latency_ms, EXCLUDED.thumbs_up, EXCLUDED.thumbs_down)
    RETURNING 1),
  written_breakdown AS (
    INSERT INTO lore.usage_daily_breakdown AS d (tenant_id, day, slack_channel_id, slack_user_id, questions, tokens, cost_usd)
    SELECT tenant_id, day, slack_channel_id, slack_user_id, questions, tokens, cost_usd FROM breakdown_totals
    ON CONFLICT (tenant_id, day, slack_channel_id, slack_user_id) DO UPDATE SET
      questions = EXCLUDED.questions, tokens = EXCLUDED.tokens, cost_usd = EXCLUDED.cost_usd, updated_at = now()
    WHERE (d.questions, d.tokens, d.cost_usd) IS DISTINCT FROM (EXCLUDED.questions, EXCLUDED.tokens, EXCLUDED.cost_usd)
    RETURNING 1)
  SELECT (SELECT count(*) FROM scope)::int AS "staleDays",
         (SELECT count(*) FROM written_days)::int AS "dayRows",
         (SELECT count(*) FROM written_breakdown)::int AS "breakdownRows"`;

/**
 * The days to roll: from the day after the last rolled one (on the first run, the first day with any usage),
 * and at least the last REROLL_DAYS complete days, through yesterday (UTC). Locks the state row first, so
 * runs never overlap: a second run waits, then counts from a snapshot that includes the first one's work.
 */
async function daysToRoll(c: DbClient): Promise<{ from: string; through: string }> {
  const state = await c.query<{ rolledThrough: string | null }>(
    `SELECT to_char(rolled_through, 'YYYY-MM-DD') AS "rolledThrough" FROM lore.usage_rollup_state FOR UPDATE`,
  );
  if (!state.rows[0]) throw new Error('usage rollup: the state row is missing (migrations not applied?)');
  const rolledThrough = state.rows[0].rolledThrough;
  const firstDay = rolledThrough
    ? null
    : ((
        await c.query<{ day: string | null }>(
          `SELECT to_char(least((SELECT min(created_at) FROM lore.answers), (SELECT min(created_at) FROM lore.usage_events),
                                (SELECT min(updated_at) FROM lore.answer_feedback)) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`,
        )
      ).rows[0]?.day ?? null);
  const { rows } = await c.query<{ from: string; through: string }>(
    `SELECT to_char(least(coalesce($1::date + 1, $2::date, y.day), y.day - ${REROLL_DAYS - 1}), 'YYYY-MM-DD') AS "from",
            to_char(y.day, 'YYYY-MM-DD') AS through
     FROM (SELECT (now() AT TIME ZONE 'UTC')::date - 1 AS day) y`,
    [rolledThrough, firstDay],
  );
  const range = rows[0];
  if (!range) throw new Error('usage rollup: no range');
  return range;
}

/**
 * Rolls usage into the rollup tables for every tenant: the complete days not rolled yet, the last
 * REROLL_DAYS again, and every earlier day whose raw rows changed since. Set-based (one statement for all
 * tenants and days) and idempotent: a second run writes nothing. A platform job: it runs as the owner role
 * (like the tenant purge), since it reads and writes every tenant's rows.
 */
export async function rollUpUsage(db: Database): Promise<UsageRollupResult> {
  return withTransaction(db, async (c) => {
    const { from, through } = await daysToRoll(c);
    const { rows } = await c.query<Omit<UsageRollupResult, 'from' | 'through'>>(ROLL_UP, [from, through]);
    await c.query(
      `UPDATE lore.usage_rollup_state SET rolled_through = greatest(rolled_through, $1::date), rolled_at = now()`,
      [through],
    );
    return { from, through, staleDays: 0, dayRows: 0, breakdownRows: 0, ...rows[0] };
  });
}

// The usage report's reads.

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

/** One day of the usage report, with the latency sum and count behind its mean. */
export interface UsageDayRow extends UsageDayDto {
  latencySumMs: number;
  latencyCount: number;
}

/**
 * The current tenant's usage per UTC day `from`..`to` (inside withTenant), every day present: complete days
 * from the rollup, the rest counted from the raw tables.
 */
export async function readUsageDays(c: DbClient, from: string, to: string): Promise<UsageDayRow[]> {
  const { rows } = await c.query<UsageDayRow>(
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

/** The current tenant's `top` channels or users over `from`..`to` by questions, then tokens (inside withTenant). */
export async function readUsageBreakdown(
  c: DbClient,
  from: string,
  to: string,
  column: 'slack_channel_id' | 'slack_user_id',
  top: number,
): Promise<UsageBreakdownDto[]> {
  const { rows } = await c.query<UsageBreakdownDto>(
    `WITH ${SOURCES},
     parts AS (SELECT ${column} AS key, questions, tokens, cost_usd FROM breakdown_totals
               UNION ALL SELECT ${column}, questions, tokens, cost_usd FROM (${ROLLED('usage_daily_breakdown')}) r)
     SELECT key, sum(questions)::int AS questions, sum(tokens)::float8 AS tokens,
            round(sum(cost_usd)::float8::numeric, 6)::float8 AS "costUsd"
     FROM parts GROUP BY key
     ORDER BY 2 DESC, 3 DESC, 1 LIMIT $3`,
    [from, to, top],
  );
  return rows;
}
