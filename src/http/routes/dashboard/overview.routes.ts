import { Router } from 'express';
import type { OverviewDto } from '../../../contracts/overview.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { getWorkspaceOverview } from '../../../tenants/read-models/overview.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { wire } from '../../wire.js';

/** `GET /api/overview`: install and token health, plan and quota use, this month's questions. */
export function overviewRoutes(deps: {
  db: Database;
  publicUrl: string;
  requiredScopes: readonly string[];
}): Router {
  const router = Router();
  router.get('/overview', async (req, res) => {
    const o = await getWorkspaceOverview(deps.db, authOf(req).tenantId, deps.requiredScopes);
    const body = wire({ ...o, install: { ...o.install, reinstallUrl: `${deps.publicUrl}/slack/install` } });
    res.json(body satisfies OverviewDto);
  });
  return router;
}
