import type { DbClient } from '../infra/db/database.js';

/** One billable operation. `idempotencyKey` makes a retried job record it exactly once. */
export interface UsageEvent {
  tenantId: string;
  kind: 'answer' | 'embedding';
  idempotencyKey: string;
  model: string;
  keySource: 'platform' | 'tenant' | 'none';
  promptTokens: number;
  completionTokens?: number;
  costUsd: number;
  answerId?: string | null;
  slackChannelId?: string;
  slackUserId?: string;
  latencyMs?: number | null;
  outcome?: string;
}

/** Records usage once per idempotency key; returns false when it was already recorded. */
export async function recordUsage(c: DbClient, e: UsageEvent): Promise<boolean> {
  const { rowCount } = await c.query(
    `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, model, key_source, prompt_tokens,
       completion_tokens, cost_usd, answer_id, slack_channel_id, slack_user_id, latency_ms, outcome)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (tenant_id, idempotency_key) DO NOTHING`,
    [
      e.tenantId,
      e.kind,
      e.idempotencyKey,
      e.model,
      e.keySource,
      e.promptTokens,
      e.completionTokens ?? 0,
      e.costUsd,
      e.answerId ?? null,
      e.slackChannelId ?? '',
      e.slackUserId ?? '',
      e.latencyMs ?? null,
      e.outcome ?? '',
    ],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The current tenant's platform-key answers and tokens between two instants (a month, for quota warnings,
 * with the month taken from the caller's clock). Call inside withTenant.
 */
export async function platformUsageBetween(
  c: DbClient,
  from: Date,
  to: Date,
): Promise<{ tokens: number; questions: number }> {
  const { rows } = await c.query<{ tokens: number; questions: number }>(
    `SELECT coalesce(sum(total_tokens), 0)::float8 AS tokens, count(*)::int AS questions
     FROM lore.usage_events
     WHERE kind = 'answer' AND key_source = 'platform' AND created_at >= $1 AND created_at < $2`,
    [from, to],
  );
  return rows[0] ?? { tokens: 0, questions: 0 };
}

/** This month's platform-key usage of the current tenant (call inside withTenant). */
export async function monthlyPlatformUsage(c: DbClient): Promise<{ tokens: number; questions: number }> {
  const { rows } = await c.query<{ tokens: number; questions: number }>(
    `SELECT coalesce(sum(total_tokens), 0)::float8 AS tokens, count(*)::int AS questions
     FROM lore.usage_events
     WHERE kind = 'answer' AND key_source = 'platform' AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
  );
  return rows[0] ?? { tokens: 0, questions: 0 };
}

/** Tokens the platform's key spent for the current tenant since `since` (inside withTenant). */
export async function platformTokensSince(c: DbClient, since: Date): Promise<number | undefined> {
  const { rows } = await c.query<{ tokens: number }>(
    `SELECT coalesce(sum(total_tokens), 0)::float8 AS tokens FROM lore.usage_events
       WHERE created_at >= $1 AND key_source = 'platform'`,
    [since],
  );
  return rows[0]?.tokens;
}

/** The platform's questions, tokens and cost since `since` (owner role: across tenants). */
export async function monthUsageTotals(
  c: DbClient,
  since: Date,
): Promise<{ questions: number; tokens: number; costUsd: number } | undefined> {
  const { rows } = await c.query<{ questions: number; tokens: number; costUsd: number }>(
    `SELECT (SELECT count(*) FROM lore.answers WHERE created_at >= $1)::int AS questions,
              coalesce(sum(total_tokens), 0)::float8 AS tokens, round(coalesce(sum(cost_usd), 0)::numeric, 6)::float8 AS "costUsd"
       FROM lore.usage_events WHERE created_at >= $1`,
    [since],
  );
  return rows[0];
}

/** Inserts the usage event of a back-dated answer (the demo workspace; same values as the answer row). */
export async function insertBackdatedAnswerUsage(
  c: DbClient,
  u: {
    tenantId: string;
    idempotencyKey: string;
    answerId: string | undefined;
    slackChannelId: string;
    slackUserId: string;
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    latencyMs: number;
    outcome: string;
    at: Date;
  },
): Promise<void> {
  await c.query(
    `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, answer_id, slack_channel_id, slack_user_id, model,
       key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, outcome, created_at)
     VALUES ($1, 'answer', $2, $3, $4, $5, 'gpt-4o-mini', 'platform', $6, $7, $8, $9, $10, $11)`,
    [
      u.tenantId,
      u.idempotencyKey,
      u.answerId,
      u.slackChannelId,
      u.slackUserId,
      u.promptTokens,
      u.completionTokens,
      u.costUsd,
      u.latencyMs,
      u.outcome,
      u.at,
    ],
  );
}
