import type { DbClient } from '../infra/db/database.js';

/** A tenant's effective limits: its plan's, with per-tenant quota overrides applied. */
export interface PlanLimits {
  planId: string;
  monthlyTokenQuota: number;
  monthlyQuestionQuota: number;
  tenantRatePerMinute: number;
  userRatePerMinute: number;
  maxFileBytes: number;
  maxDocuments: number;
  maxChunks: number;
}

/** Reads the current tenant's limits (call inside withTenant). */
export async function getPlanLimits(c: DbClient): Promise<PlanLimits> {
  const { rows } = await c.query<PlanLimits>(
    `SELECT p.id AS "planId",
            coalesce(t.monthly_token_quota, p.monthly_token_quota)::float8 AS "monthlyTokenQuota",
            coalesce(t.monthly_question_quota, p.monthly_question_quota) AS "monthlyQuestionQuota",
            p.tenant_rate_per_minute AS "tenantRatePerMinute",
            coalesce(s.user_rate_per_minute, p.user_rate_per_minute) AS "userRatePerMinute",
            p.max_file_bytes::float8 AS "maxFileBytes", p.max_documents AS "maxDocuments", p.max_chunks AS "maxChunks"
     FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id
     LEFT JOIN lore.tenant_settings s ON s.tenant_id = t.id
     WHERE t.id = lore.current_tenant_id()`,
  );
  const limits = rows[0];
  if (!limits) throw new Error('getPlanLimits: no tenant in context (call it inside withTenant)');
  return limits;
}
