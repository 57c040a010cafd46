import { Router } from 'express';
import type { PlansDto } from '../../../contracts/plans.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { withTenant } from '../../../infra/db/transaction.js';
import { getPlanLimits, listPlans } from '../../../tenants/plans.repo.js';
import { nextMonthStart } from '../../../usage/limits.service.js';
import { authOf } from '../../middleware/tenant-auth.js';

/** `GET /api/plans`: the plan page (linked from every limit warning). */
export function plansRoutes(deps: { db: Database }): Router {
  const router = Router();
  router.get('/plans', async (req, res) => {
    const { limits, plans } = await withTenant(deps.db, authOf(req).tenantId, async (c) => ({
      limits: await getPlanLimits(c),
      plans: await listPlans(c),
    }));
    res.json({
      currentPlanId: limits.planId,
      current: {
        monthlyTokenQuota: limits.monthlyTokenQuota,
        monthlyQuestionQuota: limits.monthlyQuestionQuota,
      },
      resetsAt: nextMonthStart().toISOString(),
      plans,
    } satisfies PlansDto);
  });
  return router;
}
