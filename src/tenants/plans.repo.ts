import type { PlanDetailsDto } from '../contracts/plans.contract.js';
import type { DbClient } from '../infra/db/database.js';

/**
 * A tenant's effective limits: its plan's (the same fields the plan page shows), with per-tenant quota
 * overrides applied.
 */
export type PlanLimits = Omit<PlanDetailsDto, 'id' | 'name'> & { planId: string };

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

/** What one plan allows (the plan page shows every plan side by side): the shape the page reads. */
export type PlanDetails = PlanDetailsDto;

/** Every plan, smallest first (the plans table is readable by the app role: it holds no tenant data). */
export async function listPlans(c: DbClient): Promise<PlanDetails[]> {
  const { rows } = await c.query<PlanDetails>(
    `SELECT id, name, monthly_token_quota::float8 AS "monthlyTokenQuota",
            monthly_question_quota AS "monthlyQuestionQuota", tenant_rate_per_minute AS "tenantRatePerMinute",
            user_rate_per_minute AS "userRatePerMinute", max_file_bytes::float8 AS "maxFileBytes",
            max_documents AS "maxDocuments", max_chunks AS "maxChunks"
     FROM lore.plans ORDER BY monthly_token_quota, id`,
  );
  return rows;
}

/** The user rate per minute of the tenant's plan itself, before any override; undefined when not visible. */
export async function planUserRateOf(c: DbClient, tenantId: string): Promise<number | undefined> {
  const { rows } = await c.query<{ rate: number }>(
    'SELECT p.user_rate_per_minute AS rate FROM lore.plans p JOIN lore.tenants t ON t.plan_id = p.id WHERE t.id = $1',
    [tenantId],
  );
  return rows[0]?.rate;
}

/** Whether a plan with this id exists. */
export async function planExists(c: DbClient, planId: string): Promise<boolean> {
  const { rowCount } = await c.query('SELECT 1 FROM lore.plans WHERE id = $1', [planId]);
  return rowCount !== 0;
}

/** Every plan's quotas, smallest first (the operator summary). */
export async function planQuotas(
  c: DbClient,
): Promise<{ id: string; name: string; monthlyTokenQuota: number; monthlyQuestionQuota: number }[]> {
  const { rows } = await c.query<{
    id: string;
    name: string;
    monthlyTokenQuota: number;
    monthlyQuestionQuota: number;
  }>(
    `SELECT id, name, monthly_token_quota::float8 AS "monthlyTokenQuota", monthly_question_quota AS "monthlyQuestionQuota"
       FROM lore.plans ORDER BY monthly_token_quota`,
  );
  return rows;
}

/** The tenant's plan name, and whether it answers with its own OpenAI key (App Home's usage line). */
export async function planNameAndOwnKey(
  c: DbClient,
  tenantId: string,
): Promise<{ planName: string; ownKey: boolean } | null> {
  const { rows } = await c.query<{ planName: string; ownKey: boolean }>(
    `SELECT p.name AS "planName", s.openai_key_encrypted IS NOT NULL AS "ownKey"
     FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id
     LEFT JOIN lore.tenant_settings s ON s.tenant_id = t.id
     WHERE t.id = $1`,
    [tenantId],
  );
  return rows[0] ?? null;
}

/** The web limits of the current tenant's plan. */
export async function webPlanLimits(c: DbClient): Promise<{ maxPages: number; maxPageBytes: number }> {
  const { rows } = await c.query<{ maxPages: number; maxPageBytes: number }>(
    `SELECT p.max_web_pages AS "maxPages", p.max_web_page_bytes::float8 AS "maxPageBytes"
     FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id WHERE t.id = lore.current_tenant_id()`,
  );
  const limits = rows[0];
  if (!limits) throw new Error('webPlanLimits: no tenant in context (call it inside withTenant)');
  return limits;
}
