import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { type AuditFilter, type AuditRecord, queryAuditLog } from './audit.repo.js';

export type { AuditFilter, AuditRecord } from './audit.repo.js';

/** A tenant's audit log, newest first (the app role can read only its own tenant's entries). */
export function listAuditEntries(
  db: Database,
  tenantId: string,
  f: AuditFilter,
): Promise<{ items: AuditRecord[]; total: number }> {
  return withTenant(db, tenantId, (c) => queryAuditLog(c, f));
}
