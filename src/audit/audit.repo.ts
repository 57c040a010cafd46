import type { DbClient } from '../infra/db/database.js';
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

/** One audit entry as admins read it. */
export interface AuditRecord {
  id: string;
  createdAt: Date;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  /** An exact action, or a prefix when it ends with "." (e.g. "api_key."); a bare word matches as a prefix too. */
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** A page of the current tenant's audit log (RLS), newest first, with the total that matched. */
export async function queryAuditLog(
  c: DbClient,
  f: AuditFilter,
): Promise<{ items: AuditRecord[]; total: number }> {
  const where = `($1::text IS NULL OR action = $1 OR action LIKE replace(replace($1, '_', '\\_'), '%', '\\%') || '%')
    AND ($2::text IS NULL OR actor ILIKE '%' || $2 || '%')
    AND ($3::date IS NULL OR created_at >= ($3::date)::timestamp AT TIME ZONE 'UTC')
    AND ($4::date IS NULL OR created_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const params = [f.action || null, f.actor || null, f.from ?? null, f.to ?? null];
  const { rows } = await c.query<AuditRecord>(
    `SELECT id::text, created_at AS "createdAt", actor, action, target, details
     FROM lore.audit_log WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`,
    [...params, f.limit, f.offset],
  );
  const count = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lore.audit_log WHERE ${where}`,
    params,
  );
  return { items: rows, total: count.rows[0]?.n ?? 0 };
}
