import express, { Router } from 'express';
import {
  type PlatformSummaryDto,
  type PlatformTenantDto,
  platformTenantsQuery,
  tenantIdParams,
  updateTenantBody,
} from '../../../contracts/platform.contract.js';
import type { Database } from '../../../infra/db/database.js';
import type { TenantLifecycle } from '../../../tenants/lifecycle/lifecycle.service.js';
import {
  findTenantStateById,
  getPlatformSummary,
  listPlatformTenants,
  type PlatformTenantFilter,
  updateTenantPlan,
} from '../../../tenants/read-models/platform.service.js';
import { keyOfTenant } from '../../../tenants/slack-key.js';
import { sendCsv, toCsv } from '../../csv.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { pageWindow, sendPage } from '../../paging.js';
import { wire } from '../../wire.js';

const operatorOf = (req: Express.Request) => `operator:${req.dashboardSession?.slackUserId ?? 'unknown'}`;
const CSV_ROWS = 10_000;

/** `/api/platform`: the operator view over every tenant (mounted behind requirePlatformAdmin). */
export function platformRoutes(deps: {
  db: Database;
  lifecycle: Pick<TenantLifecycle, 'suspend' | 'resume'>;
}): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  const list = async (q: PlatformTenantFilter) => {
    const page = await listPlatformTenants(deps.db, q);
    return { items: wire(page.items) satisfies PlatformTenantDto[], total: page.total };
  };

  router.get('/tenants', async (req, res) => {
    const q = parseInput(platformTenantsQuery, req.query);
    sendPage(res, q, await list({ ...q, ...pageWindow(q) }));
  });

  router.get('/tenants.csv', async (req, res) => {
    const q = parseInput(platformTenantsQuery, req.query);
    const { items } = await list({ ...q, limit: CSV_ROWS, offset: 0 });
    const headers = [
      'id',
      'name',
      'slack_id',
      'status',
      'plan',
      'monthly_token_quota',
      'monthly_question_quota',
      'documents',
      'questions_this_month',
      'tokens_this_month',
      'cost_this_month_usd',
      'created_at',
      'last_activity_at',
    ];
    const rows = items.map((t) => [
      t.id,
      t.name,
      t.slackId,
      t.status,
      t.planId,
      t.monthlyTokenQuota,
      t.monthlyQuestionQuota,
      t.documents,
      t.questionsThisMonth,
      t.tokensThisMonth,
      t.costThisMonthUsd,
      t.createdAt,
      t.lastActivityAt,
    ]);
    sendCsv(res, `lore-tenants-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(headers, rows));
  });

  router.get('/summary', async (_req, res) => {
    res.json((await getPlatformSummary(deps.db)) satisfies PlatformSummaryDto);
  });

  for (const action of ['suspend', 'resume'] as const) {
    router.post(`/tenants/:id/${action}`, async (req, res) => {
      const { id } = parseIds(tenantIdParams, req.params, 'Tenant');
      const tenant = await findTenantStateById(deps.db, id);
      const result = await deps.lifecycle[action](keyOfTenant(tenant), operatorOf(req));
      res.json({ status: result.tenant.status, changed: result.changed });
    });
  }

  router.patch('/tenants/:id', json, async (req, res) => {
    const { id } = parseIds(tenantIdParams, req.params, 'Tenant');
    const change = parseInput(updateTenantBody, req.body ?? {});
    await findTenantStateById(deps.db, id);
    await updateTenantPlan(deps.db, id, change, operatorOf(req));
    res.status(204).end();
  });

  return router;
}
