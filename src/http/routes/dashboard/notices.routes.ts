import { Router } from 'express';
import type { NoticesDto } from '../../../contracts/notices.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { noticesFor } from '../../../tenants/notices/notices.service.js';
import { authOf } from '../../middleware/tenant-auth.js';

/** `GET /api/notices`: the banners above every dashboard page (broken install, quota warnings, announcements). */
export function noticesRoutes(deps: { db: Database; publicUrl: string }): Router {
  const router = Router();
  router.get('/notices', async (req, res) => {
    const notices = await noticesFor(deps.db, authOf(req).tenantId, { publicUrl: deps.publicUrl });
    res.json({ notices } satisfies NoticesDto);
  });
  return router;
}
