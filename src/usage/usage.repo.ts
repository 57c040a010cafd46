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
