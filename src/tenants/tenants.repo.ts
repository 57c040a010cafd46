import type { Queryable } from '../infra/db/migrate.js';

/** A tenant as operators and the app see it. */
export interface Tenant {
  id: string;
  slackTeamId: string | null;
  slackEnterpriseId: string | null;
  isEnterpriseInstall: boolean;
  name: string;
  planId: string;
  status: 'active' | 'inactive' | 'suspended';
  isDemo: boolean;
  createdAt: Date;
  lastActivityAt: Date | null;
}

const COLUMNS = `id, slack_team_id, slack_enterprise_id, is_enterprise_install, name, plan_id, status, is_demo,
  created_at, last_activity_at`;

interface TenantRow {
  id: string;
  slack_team_id: string | null;
  slack_enterprise_id: string | null;
  is_enterprise_install: boolean;
  name: string;
  plan_id: string;
  status: Tenant['status'];
  is_demo: boolean;
  created_at: Date;
  last_activity_at: Date | null;
}

function toTenant(r: TenantRow): Tenant {
  return {
    id: r.id,
    slackTeamId: r.slack_team_id,
    slackEnterpriseId: r.slack_enterprise_id,
    isEnterpriseInstall: r.is_enterprise_install,
    name: r.name,
    planId: r.plan_id,
    status: r.status,
    isDemo: r.is_demo,
    createdAt: r.created_at,
    lastActivityAt: r.last_activity_at,
  };
}

export interface NewTenant {
  slackTeamId: string | null;
  slackEnterpriseId: string | null;
  isEnterpriseInstall: boolean;
  name: string;
  planId?: string;
  isDemo?: boolean;
}

/** Creates a tenant with default settings. Runs as the owner role: there is no tenant context yet. */
export async function insertTenant(q: Queryable, t: NewTenant): Promise<Tenant> {
  const { rows } = await q.query<TenantRow>(
    `INSERT INTO lore.tenants (slack_team_id, slack_enterprise_id, is_enterprise_install, name, plan_id, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [
      t.slackTeamId,
      t.slackEnterpriseId,
      t.isEnterpriseInstall,
      t.name,
      t.planId ?? 'free',
      t.isDemo ?? false,
    ],
  );
  const tenant = toTenant(rows[0] as TenantRow);
  await q.query('INSERT INTO lore.tenant_settings (tenant_id) VALUES ($1)', [tenant.id]);
  return tenant;
}

/**
 * Finds the tenant for a Slack id: an org-wide install by enterprise id, otherwise a workspace by team id.
 * Accepts either kind of id, so operators can type whichever they have.
 */
export async function findTenantBySlackId(q: Queryable, slackId: string): Promise<Tenant | null> {
  const { rows } = await q.query<TenantRow>(
    `SELECT ${COLUMNS} FROM lore.tenants
     WHERE (is_enterprise_install AND slack_enterprise_id = $1) OR (NOT is_enterprise_install AND slack_team_id = $1)
     ORDER BY is_enterprise_install DESC LIMIT 1`,
    [slackId],
  );
  return rows[0] ? toTenant(rows[0]) : null;
}

/** Lists tenants for operators, newest first, optionally filtered by a name or Slack id fragment. */
export async function listTenants(
  q: Queryable,
  opts: { search?: string; limit?: number } = {},
): Promise<Tenant[]> {
  const { rows } = await q.query<TenantRow>(
    `SELECT ${COLUMNS} FROM lore.tenants
     WHERE $1::text IS NULL OR name ILIKE '%' || $1 || '%' OR slack_team_id = $1 OR slack_enterprise_id = $1
     ORDER BY created_at DESC LIMIT $2`,
    [opts.search ?? null, opts.limit ?? 500],
  );
  return rows.map(toTenant);
}
