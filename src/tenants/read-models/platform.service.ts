import { appendAudit } from '../../audit/audit.repo.js';
import type { PlatformTenantDto } from '../../contracts/platform.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import { badRequest, notFound } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { TenantState } from '../lifecycle/tenant-status.repo.js';
import { monthStart } from './overview.service.js';

/** A tenant as the operator view lists it, with this month's usage. */
export type PlatformTenant = WithDates<PlatformTenantDto, 'createdAt' | 'lastActivityAt'>;

export interface PlatformTenantFilter {
  search?: string;
  status?: 'active' | 'inactive' | 'suspended';
  sort: 'name' | 'created' | 'activity' | 'questions';
  limit: number;
  offset: number;
}

const SORTS: Record<PlatformTenantFilter['sort'], string> = {
  name: 'lower(t.name) ASC',
  created: 't.created_at DESC',
  activity: '"lastActivityAt" DESC NULLS LAST',
  questions: '"questionsThisMonth" DESC',
};

/**
 * Every tenant with status, plan, quotas, documents and this month's usage. Operators only: runs as the
 * owner role across tenants (the route checks PLATFORM_ADMINS first).
 */
export async function listPlatformTenants(
  db: Database,
  f: PlatformTenantFilter,
): Promise<{ items: PlatformTenant[]; total: number }> {
  return withTransaction(db, async (c) => {
    const where = `($1::text IS NULL OR t.name ILIKE '%' || $1 || '%' OR t.slack_team_id = $1 OR t.slack_enterprise_id = $1)
      AND ($2::text IS NULL OR t.status = $2)`;
    const params = [f.search?.trim() || null, f.status ?? null];
    const { rows } = await c.query<PlatformTenant>(
      `WITH q AS (SELECT tenant_id, count(*)::int AS n, max(created_at) AS last FROM lore.answers
                  WHERE created_at >= $3 GROUP BY 1),
            u AS (SELECT tenant_id, sum(total_tokens)::float8 AS tokens, sum(cost_usd)::float8 AS cost
                  FROM lore.usage_events WHERE created_at >= $3 GROUP BY 1),
            d AS (SELECT tenant_id, count(*)::int AS n FROM lore.documents GROUP BY 1)
       SELECT t.id, t.name, CASE WHEN t.is_enterprise_install THEN t.slack_enterprise_id ELSE t.slack_team_id END AS "slackId",
              t.is_enterprise_install AS "isEnterpriseInstall", t.is_demo AS "isDemo", t.status, t.plan_id AS "planId",
              coalesce(t.monthly_token_quota, p.monthly_token_quota)::float8 AS "monthlyTokenQuota",
              coalesce(t.monthly_question_quota, p.monthly_question_quota) AS "monthlyQuestionQuota",
              (t.monthly_token_quota IS NOT NULL OR t.monthly_question_quota IS NOT NULL) AS "quotaOverridden",
              coalesce(d.n, 0) AS documents, coalesce(q.n, 0) AS "questionsThisMonth",
              coalesce(u.tokens, 0) AS "tokensThisMonth", round(coalesce(u.cost, 0)::numeric, 6)::float8 AS "costThisMonthUsd",
              t.created_at AS "createdAt",
              nullif(greatest(coalesce(t.last_activity_at, '-infinity'), coalesce(q.last, '-infinity')), '-infinity') AS "lastActivityAt"
       FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id
       LEFT JOIN q ON q.tenant_id = t.id LEFT JOIN u ON u.tenant_id = t.id LEFT JOIN d ON d.tenant_id = t.id
       WHERE ${where}
       ORDER BY ${SORTS[f.sort]}, t.id LIMIT $4 OFFSET $5`,
      [...params, monthStart(), f.limit, f.offset],
    );
    const count = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lore.tenants t WHERE ${where}`,
      params,
    );
    return { items: rows, total: count.rows[0]?.n ?? 0 };
  });
}

/** Platform totals, this month's usage and the number of tenants asking questions each of the last 30 days. */
export async function getPlatformSummary(db: Database) {
  return withTransaction(db, async (c) => {
    const t = await c.query<{
      total: number;
      active: number;
      suspended: number;
      inactive: number;
      documents: number;
      chunks: number;
    }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'active')::int AS active,
              count(*) FILTER (WHERE status = 'suspended')::int AS suspended,
              count(*) FILTER (WHERE status = 'inactive')::int AS inactive,
              (SELECT count(*) FROM lore.documents)::int AS documents, (SELECT count(*) FROM lore.chunks)::int AS chunks
       FROM lore.tenants`,
    );
    const m = await c.query<{ questions: number; tokens: number; costUsd: number }>(
      `SELECT (SELECT count(*) FROM lore.answers WHERE created_at >= $1)::int AS questions,
              coalesce(sum(total_tokens), 0)::float8 AS tokens, round(coalesce(sum(cost_usd), 0)::numeric, 6)::float8 AS "costUsd"
       FROM lore.usage_events WHERE created_at >= $1`,
      [monthStart()],
    );
    const a = await c.query<{ day: string; tenants: number }>(
      `SELECT to_char(d::date, 'YYYY-MM-DD') AS day,
              (SELECT count(DISTINCT tenant_id) FROM lore.answers
               WHERE created_at >= d AND created_at < d + interval '1 day')::int AS tenants
       FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date, interval '1 day') d
       ORDER BY d`,
    );
    const plans = await c.query<{
      id: string;
      name: string;
      monthlyTokenQuota: number;
      monthlyQuestionQuota: number;
    }>(
      `SELECT id, name, monthly_token_quota::float8 AS "monthlyTokenQuota", monthly_question_quota AS "monthlyQuestionQuota"
       FROM lore.plans ORDER BY monthly_token_quota`,
    );
    const totals = t.rows[0] ?? { total: 0, active: 0, suspended: 0, inactive: 0, documents: 0, chunks: 0 };
    return {
      tenants: {
        total: totals.total,
        active: totals.active,
        suspended: totals.suspended,
        inactive: totals.inactive,
      },
      documents: totals.documents,
      chunks: totals.chunks,
      month: m.rows[0] ?? { questions: 0, tokens: 0, costUsd: 0 },
      activeTenantsByDay: a.rows,
      plans: plans.rows,
    };
  });
}

/** The tenant an operator named by id (for suspend and resume, which work on Slack keys). */
export async function findTenantStateById(db: Database, tenantId: string): Promise<TenantState> {
  const { rows } = await db.pool.query(
    `SELECT id, name, slack_team_id, slack_enterprise_id, is_enterprise_install, status FROM lore.tenants WHERE id = $1`,
    [tenantId],
  );
  const r = rows[0];
  if (!r) throw notFound('Tenant');
  return {
    id: r.id,
    name: r.name,
    slackTeamId: r.slack_team_id,
    slackEnterpriseId: r.slack_enterprise_id,
    isEnterpriseInstall: r.is_enterprise_install,
    status: r.status,
    welcomedAt: null,
    deactivatedAt: null,
  };
}

/** Changes a tenant's plan and/or quota overrides (null: back to the plan's quota), audited. */
export async function updateTenantPlan(
  db: Database,
  tenantId: string,
  change: { planId?: string; monthlyTokenQuota?: number | null; monthlyQuestionQuota?: number | null },
  actor: string,
): Promise<void> {
  await withTransaction(db, async (c) => {
    if (change.planId !== undefined) {
      const plan = await c.query('SELECT 1 FROM lore.plans WHERE id = $1', [change.planId]);
      if (plan.rowCount === 0) throw badRequest(`There is no plan "${change.planId}"`);
    }
    const sets: string[] = [];
    const values: unknown[] = [tenantId];
    const add = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (change.planId !== undefined) add('plan_id', change.planId);
    if (change.monthlyTokenQuota !== undefined) add('monthly_token_quota', change.monthlyTokenQuota);
    if (change.monthlyQuestionQuota !== undefined) add('monthly_question_quota', change.monthlyQuestionQuota);
    const { rowCount } = await c.query(`UPDATE lore.tenants SET ${sets.join(', ')} WHERE id = $1`, values);
    if (!rowCount) throw notFound('Tenant');
    await appendAudit(c, { tenantId, actor, action: 'tenant.plan_changed', details: { ...change } });
  });
}
