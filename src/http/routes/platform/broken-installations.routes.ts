import { Router } from 'express';
import type { BrokenInstallationsDto } from '../../../contracts/notices.contract.js';
import type { InstallationHealth } from '../../../tenants/installations/installation-health.service.js';
import { wire } from '../../wire.js';

/** `GET /api/platform/broken-installations`: workspaces Slack refused the token of, for the operator. */
export function brokenInstallationsRoutes(deps: {
  health: Pick<InstallationHealth, 'list' | 'count'>;
}): Router {
  const router = Router();
  router.get('/broken-installations', async (_req, res) => {
    const [count, items] = await Promise.all([deps.health.count(), deps.health.list()]);
    res.json({ count, items: wire(items) } satisfies BrokenInstallationsDto);
  });
  return router;
}
