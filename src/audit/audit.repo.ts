import type { Queryable } from '../infra/db/migrate.js';

/** One audit entry: who did what to which thing, for which tenant (null: platform-wide). */
export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

/** Appends an entry to the audit log (the table is append-only for the app role). */
export async function appendAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    'INSERT INTO lore.audit_log (tenant_id, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)',
    [e.tenantId, e.actor, e.action, e.target ?? null, JSON.stringify(e.details ?? {})],
  );
}
