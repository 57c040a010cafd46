/**
 * The one definition of how usage is counted from the raw tables, shared by the rollup job (which stores the
 * result) and the usage report (which computes the days not rolled yet): both always agree.
 *
 * `USAGE_TOTALS_CTES` are WITH-clause entries. The query using them defines two CTEs first:
 * - `bounds(range_from, range_to)`: whole UTC days counted for every tenant the query can see;
 * - `scope(tenant_id, day)`: single days before `range_from` counted for one tenant (changed since rolled).
 * They yield, in the form `usage_daily` and `usage_daily_breakdown` store them (exact sums and counts):
 * - `day_totals(tenant_id, day, questions, answered, unanswered, prompt_tokens, completion_tokens,
 *   embedding_tokens, cost_usd, latency_ms_sum, latency_count, p95_latency_ms, thumbs_up, thumbs_down)`;
 * - `breakdown_totals(tenant_id, day, slack_channel_id, slack_user_id, questions, tokens, cost_usd)`.
 * Questions, outcomes and latency come from answers (by `created_at`; small talk such as "thanks" is not a
 * question), tokens and cost from metered usage events (by `created_at`; the breakdown only kind 'answer'),
 * votes from feedback (by `updated_at`).
 */

const dayStart = (day: string) => `(${day})::timestamp AT TIME ZONE 'UTC'`;
const dayEnd = (day: string) => `((${day}) + 1)::timestamp AT TIME ZONE 'UTC'`;

/** Rows of `table` in the range (every tenant) and on the scope's single days, each with its UTC day. */
function rowsCounted(table: string, at: string, columns: string): string {
  return `SELECT x.tenant_id, (x.${at} AT TIME ZONE 'UTC')::date AS day, ${columns}
      FROM lore.${table} x, bounds b
      WHERE x.${at} >= ${dayStart('b.range_from')} AND x.${at} < ${dayEnd('b.range_to')}
    UNION ALL
    SELECT x.tenant_id, s.day, ${columns}
      FROM scope s JOIN bounds b ON s.day < b.range_from
      JOIN lore.${table} x ON x.tenant_id = s.tenant_id
        AND x.${at} >= ${dayStart('s.day')} AND x.${at} < ${dayEnd('s.day')}`;
}

export const USAGE_TOTALS_CTES = `
  answers_counted AS (
    SELECT * FROM (${rowsCounted('answers', 'created_at', 'x.slack_channel_id, x.slack_user_id, x.outcome, x.latency_ms')}) a
    WHERE a.outcome <> 'small_talk'),
  events_counted AS (${rowsCounted(
    'usage_events',
    'created_at',
    'x.kind, x.slack_channel_id, x.slack_user_id, x.prompt_tokens, x.completion_tokens, x.total_tokens, x.cost_usd',
  )}),
  votes_counted AS (${rowsCounted('answer_feedback', 'updated_at', 'x.vote')}),
  answer_totals AS (
    SELECT tenant_id, day, count(*)::int AS questions,
           count(*) FILTER (WHERE outcome IN ('answered', 'extractive'))::int AS answered,
           count(*) FILTER (WHERE outcome = 'no_sources')::int AS unanswered,
           coalesce(sum(latency_ms), 0)::bigint AS latency_ms_sum, count(latency_ms)::int AS latency_count,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95_latency_ms
    FROM answers_counted GROUP BY 1, 2),
  event_totals AS (
    SELECT tenant_id, day, sum(prompt_tokens)::bigint AS prompt_tokens,
           sum(completion_tokens)::bigint AS completion_tokens,
           coalesce(sum(prompt_tokens) FILTER (WHERE kind = 'embedding'), 0)::bigint AS embedding_tokens,
           sum(cost_usd) AS cost_usd
    FROM events_counted GROUP BY 1, 2),
  vote_totals AS (
    SELECT tenant_id, day, count(*) FILTER (WHERE vote = 1)::int AS thumbs_up,
           count(*) FILTER (WHERE vote = -1)::int AS thumbs_down
    FROM votes_counted GROUP BY 1, 2),
  day_totals AS (
    SELECT tenant_id, day, coalesce(a.questions, 0) AS questions, coalesce(a.answered, 0) AS answered,
           coalesce(a.unanswered, 0) AS unanswered, coalesce(e.prompt_tokens, 0) AS prompt_tokens,
           coalesce(e.completion_tokens, 0) AS completion_tokens, coalesce(e.embedding_tokens, 0) AS embedding_tokens,
           coalesce(e.cost_usd, 0) AS cost_usd, coalesce(a.latency_ms_sum, 0) AS latency_ms_sum,
           coalesce(a.latency_count, 0) AS latency_count, a.p95_latency_ms,
           coalesce(v.thumbs_up, 0) AS thumbs_up, coalesce(v.thumbs_down, 0) AS thumbs_down
    FROM answer_totals a FULL JOIN event_totals e USING (tenant_id, day) FULL JOIN vote_totals v USING (tenant_id, day)),
  breakdown_totals AS (
    SELECT tenant_id, day, slack_channel_id, slack_user_id, sum(questions)::int AS questions,
           sum(tokens)::bigint AS tokens, sum(cost_usd) AS cost_usd
    FROM (SELECT tenant_id, day, slack_channel_id, slack_user_id, 1 AS questions, 0 AS tokens, 0::numeric AS cost_usd
            FROM answers_counted
          UNION ALL
          SELECT tenant_id, day, slack_channel_id, slack_user_id, 0, total_tokens, cost_usd
            FROM events_counted WHERE kind = 'answer') r
    GROUP BY 1, 2, 3, 4)`;
