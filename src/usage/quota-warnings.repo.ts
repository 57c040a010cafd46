import type { DbClient } from '../infra/db/database.js';

export type QuotaName = 'tokens' | 'questions';
export type Threshold = 80 | 100;

/** One threshold a workspace passed in one month (the first UTC day of it, `YYYY-MM-DD`). */
export interface QuotaWarning {
  tenantId: string;
  quota: QuotaName;
  threshold: Threshold;
  month: string;
  used: number;
  limit: number;
}

/**
 * Records a passed threshold; true only for the caller whose insert created the row, so exactly one
 * process sends the warning however many answers cross the line at once. Call inside withTenant.
 */
export async function claimQuotaWarning(c: DbClient, w: QuotaWarning): Promise<boolean> {
  const { rowCount } = await c.query(
    `INSERT INTO lore.quota_warnings (tenant_id, quota, threshold, month, used, quota_limit)
     VALUES ($1, $2, $3, $4::date, $5, $6)
     ON CONFLICT (tenant_id, quota, threshold, month) DO NOTHING`,
    [w.tenantId, w.quota, w.threshold, w.month, w.used, w.limit],
  );
  return (rowCount ?? 0) > 0;
}

/** The current tenant's warnings for one month, highest threshold first (call inside withTenant). */
export async function quotaWarningsOfMonth(c: DbClient, month: string): Promise<QuotaWarning[]> {
  const { rows } = await c.query(
    `SELECT tenant_id, quota, threshold, to_char(month, 'YYYY-MM-DD') AS month, used::float8 AS used,
            quota_limit::float8 AS quota_limit
     FROM lore.quota_warnings WHERE month = $1::date ORDER BY threshold DESC, quota`,
    [month],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    quota: r.quota,
    threshold: r.threshold,
    month: r.month,
    used: r.used,
    limit: r.quota_limit,
  }));
}
