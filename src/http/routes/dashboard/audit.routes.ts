import { Router } from 'express';
import { listAuditEntries } from '../../../audit/audit-query.service.js';
import { type AuditEntryDto, auditQuery } from '../../../contracts/audit.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

/** `GET /api/audit`: token, settings and admin actions of the workspace, filterable. */
export function auditRoutes(deps: { db: Database }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const q = parseInput(auditQuery, req.query);
    const page = await listAuditEntries(deps.db, authOf(req).tenantId, {
      action: q.action,
      actor: q.actor,
      from: q.from,
      to: q.to,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const items = wire(page.items) satisfies AuditEntryDto[];
    res.json({ items, total: page.total, page: q.page, pageSize: q.pageSize });
  });
  return router;
}
