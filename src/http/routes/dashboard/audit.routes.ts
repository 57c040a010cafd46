import { Router } from 'express';
import { listAuditEntries } from '../../../audit/audit-query.service.js';
import { type AuditEntryDto, auditQuery } from '../../../contracts/audit.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { sendCsv, toCsv } from '../../csv.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';
import { pageWindow, sendPage } from '../../paging.js';
import { wire } from '../../wire.js';

/** The most rows one CSV download holds (bounded work per request); narrow the dates for older ones. */
export const AUDIT_CSV_MAX_ROWS = 10_000;

/** `GET /api/audit` (paged) and `GET /api/audit.csv` (a download): the workspace's audit log, filterable. */
export function auditRoutes(deps: { db: Database }): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const q = parseInput(auditQuery, req.query);
    const page = await listAuditEntries(deps.db, authOf(req).tenantId, {
      action: q.action,
      actor: q.actor,
      from: q.from,
      to: q.to,
      ...pageWindow(q),
    });
    sendPage(res, q, { items: wire(page.items) satisfies AuditEntryDto[], total: page.total });
  });
  router.get('/audit.csv', async (req, res) => {
    const q = parseInput(auditQuery, req.query);
    const page = await listAuditEntries(deps.db, authOf(req).tenantId, {
      action: q.action,
      actor: q.actor,
      from: q.from,
      to: q.to,
      limit: AUDIT_CSV_MAX_ROWS,
      offset: 0,
    });
    const rows = page.items.map((e) => [e.createdAt, e.actor, e.action, e.target, e.details]);
    // The total tells a reader when the newest AUDIT_CSV_MAX_ROWS were all that fit.
    res.set('X-Total-Count', String(page.total));
    const name = `lore-audit-${new Date().toISOString().slice(0, 10)}.csv`;
    sendCsv(res, name, toCsv(['time', 'actor', 'action', 'target', 'details'], rows));
  });
  return router;
}
