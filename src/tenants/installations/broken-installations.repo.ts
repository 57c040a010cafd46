import type { Queryable } from '../../infra/db/migrate.js';

/** A tenant whose Slack token Slack refused, and how. */
export interface BrokenInstallation {
  tenantId: string;
  errorCode: string;
  method: string;
  brokenAt: Date;
}

// biome-ignore lint/suspicious/noExplicitAny: pg rows are untyped.
const toBroken = (r: any): BrokenInstallation => ({
  tenantId: r.tenant_id,
  errorCode: r.error_code,
  method: r.method,
  brokenAt: r.broken_at,
});

/** Marks a tenant's installation broken; false when it already was (the first failure is kept). */
export async function insertBrokenInstallation(
  q: Queryable,
  b: { tenantId: string; errorCode: string; method: string },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO lore.broken_installations (tenant_id, error_code, method) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO NOTHING`,
    [b.tenantId, b.errorCode, b.method],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The tenant's broken-installation row, or null. Inside withTenant RLS limits it to that tenant; the server
 * (owner) may ask about any tenant (the client factory, before a job calls Slack).
 */
export async function findBrokenInstallation(
  q: Queryable,
  tenantId: string,
): Promise<BrokenInstallation | null> {
  const { rows } = await q.query(
    'SELECT tenant_id, error_code, method, broken_at FROM lore.broken_installations WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0] ? toBroken(rows[0]) : null;
}

/** How many installations are broken now (the /metrics gauge; one row per tenant, so small). */
export async function countBrokenInstallations(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.broken_installations');
  return rows[0]?.n ?? 0;
}

/** Broken installations with their workspace names, newest first (the operator view). */
export async function listBrokenInstallations(
  q: Queryable,
  limit = 200,
): Promise<Array<BrokenInstallation & { tenantName: string }>> {
  const { rows } = await q.query(
    `SELECT b.tenant_id, b.error_code, b.method, b.broken_at, t.name
     FROM lore.broken_installations b JOIN lore.tenants t ON t.id = b.tenant_id
     ORDER BY b.broken_at DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...toBroken(r), tenantName: r.name }));
}
