import { activeTenantsByDay } from '../../ai/answers.repo.js';
import { appendAudit } from '../../audit/audit.repo.js';
import type { PlatformTenantDto } from '../../contracts/platform.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import { badRequest, notFound } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { monthUsageTotals } from '../../usage/usage.repo.js';
import { planExists, planQuotas } from '../plans.repo.js';
import {
  countTenantsMatching,
  findTenantState,
  listTenantsWithUsage,
  type TenantState,
  tenantTotals,
  updateTenantPlanAndQuotas,
} from '../tenants.repo.js';
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

/**
 * Every tenant with status, plan, quotas, documents and this month's usage. Operators only: runs as the
 * owner role across tenants (the route checks PLATFORM_ADMINS first).
 */
export async function listPlatformTenants(
  db: Database,
  f: PlatformTenantFilter,
): Promise<{ items: PlatformTenant[]; total: number }> {
  return withTransaction(db, async (c) => {
    const items = await listTenantsWithUsage(c, { ...f, since: monthStart() });
    const total = await countTenantsMatching(c, f);
    return { items, total };
  });
}

/** Platform totals, this month's usage and the number of tenants asking questions each of the last 30 days. */
export async function getPlatformSummary(db: Database) {
  return withTransaction(db, async (c) => {
    const t = await tenantTotals(c);
    const m = await monthUsageTotals(c, monthStart());
    const a = await activeTenantsByDay(c);
    const plans = await planQuotas(c);
    const totals = t ?? { total: 0, active: 0, suspended: 0, inactive: 0, documents: 0, chunks: 0 };
    return {
      tenants: {
        total: totals.total,
        active: totals.active,
        suspended: totals.suspended,
        inactive: totals.inactive,
      },
      documents: totals.documents,
      chunks: totals.chunks,
      month: m ?? { questions: 0, tokens: 0, costUsd: 0 },
      activeTenantsByDay: a,
      plans,
    };
  });
}

/** The tenant an operator named by id (for suspend and resume, which work on Slack keys). */
export async function findTenantStateById(db: Database, tenantId: string): Promise<TenantState> {
  const tenant = await findTenantState(db.pool, tenantId);
  if (!tenant) throw notFound('Tenant');
  return tenant;
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
      if (!(await planExists(c, change.planId))) throw badRequest(`There is no plan "${change.planId}"`);
    }
    const updated = await updateTenantPlanAndQuotas(c, tenantId, change);
    if (!updated) throw notFound('Tenant');
    await appendAudit(c, { tenantId, actor, action: 'tenant.plan_changed', details: { ...change } });
  });
}
