import type { Queryable } from '../../infra/db/migrate.js';
import { type SlackKey, tenantKeyCondition } from '../slack-key.js';
import {
  pickTenantFields,
  TENANT_COLUMNS_OF_T,
  type TenantRecord,
  type TenantRow,
  toTenantRecord,
} from '../tenants.repo.js';

const STATE_FIELDS = [
  'id',
  'name',
  'slackTeamId',
  'slackEnterpriseId',
  'isEnterpriseInstall',
  'status',
  'welcomedAt',
  'deactivatedAt',
] as const;

/** The lifecycle fields of a tenant (what install, uninstall, suspend and purge look at). */
export type TenantState = Pick<TenantRecord, (typeof STATE_FIELDS)[number]>;

const COLUMNS = TENANT_COLUMNS_OF_T;

const toState = (r: TenantRow): TenantState => pickTenantFields(toTenantRecord(r), STATE_FIELDS);

/** The Slack key a tenant is found by. */
export function keyOfTenant(
  t: Pick<TenantState, 'isEnterpriseInstall' | 'slackTeamId' | 'slackEnterpriseId'>,
): SlackKey {
  return t.isEnterpriseInstall
    ? { kind: 'enterprise', enterpriseId: t.slackEnterpriseId ?? '' }
    : { kind: 'team', teamId: t.slackTeamId ?? '' };
}

/**
 * Finds the tenant for a Slack key or creates it (plan 'free', the table's default) in one statement, so
 * two installs racing for a new workspace end with one tenant. The row is locked until commit.
 */
export async function findOrCreateTenantForUpdate(
  q: Queryable,
  key: SlackKey,
  t: { name: string; slackTeamId: string | null; slackEnterpriseId: string | null },
): Promise<{ tenant: TenantState; created: boolean }> {
  const conflict =
    key.kind === 'team'
      ? '(slack_team_id) WHERE NOT is_enterprise_install'
      : '(slack_enterprise_id) WHERE is_enterprise_install';
  const inserted = await q.query<{ id: string }>(
    `INSERT INTO lore.tenants (slack_team_id, slack_enterprise_id, is_enterprise_install, name)
     VALUES ($1, $2, $3, $4) ON CONFLICT ${conflict} DO NOTHING RETURNING id`,
    [t.slackTeamId, t.slackEnterpriseId, key.kind === 'enterprise', t.name],
  );
  const tenant = await lockTenantByKey(q, key);
  if (!tenant) throw new Error('findOrCreateTenantForUpdate: the tenant vanished inside its transaction');
  return { tenant, created: inserted.rows.length > 0 };
}

/** The tenant for a Slack key, locked until commit; null when there is none. */
export async function lockTenantByKey(q: Queryable, key: SlackKey): Promise<TenantState | null> {
  const cond = tenantKeyCondition(key, 1);
  const { rows } = await q.query<TenantRow>(
    `SELECT ${COLUMNS} FROM lore.tenants t WHERE ${cond.sql} FOR UPDATE`,
    [cond.param],
  );
  return rows[0] ? toState(rows[0]) : null;
}

/** The tenant by id, locked until commit; null when there is none. */
export async function lockTenantById(q: Queryable, tenantId: string): Promise<TenantState | null> {
  const { rows } = await q.query<TenantRow>(
    `SELECT ${COLUMNS} FROM lore.tenants t WHERE t.id = $1 FOR UPDATE`,
    [tenantId],
  );
  return rows[0] ? toState(rows[0]) : null;
}

/** The tenant by id, unlocked; null when there is none. */
export async function findTenantState(q: Queryable, tenantId: string): Promise<TenantState | null> {
  const { rows } = await q.query<TenantRow>(`SELECT ${COLUMNS} FROM lore.tenants t WHERE t.id = $1`, [
    tenantId,
  ]);
  return rows[0] ? toState(rows[0]) : null;
}

/** Sets a tenant's status, with the matching timestamps (deactivated_at, suspended_at). */
export async function setTenantStatus(
  q: Queryable,
  tenantId: string,
  status: TenantState['status'],
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE lore.tenants SET status = $2,
       deactivated_at = CASE WHEN $2 = 'inactive' THEN coalesce(deactivated_at, $3) WHEN $2 = 'active' THEN NULL
                             ELSE deactivated_at END,
       suspended_at = CASE WHEN $2 = 'suspended' THEN $3 WHEN $2 = 'active' THEN NULL ELSE suspended_at END
     WHERE id = $1`,
    [tenantId, status, at],
  );
}

/** Renames a tenant (a workspace renamed itself between installs). */
export async function renameTenant(q: Queryable, tenantId: string, name: string): Promise<void> {
  await q.query('UPDATE lore.tenants SET name = $2 WHERE id = $1 AND name IS DISTINCT FROM $2', [
    tenantId,
    name,
  ]);
}

/** When the tenant's newest install happened (uninstalled rows included); null when it never installed. */
export async function latestInstallTime(q: Queryable, tenantId: string): Promise<Date | null> {
  const { rows } = await q.query<{ at: Date | null }>(
    'SELECT max(installed_at) AS at FROM lore.installations WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0]?.at ?? null;
}

/** True while the tenant's current install still holds a bot token. */
export async function hasLiveBotToken(q: Queryable, tenantId: string): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM lore.installations WHERE tenant_id = $1 AND uninstalled_at IS NULL AND bot_token_encrypted IS NOT NULL
     LIMIT 1`,
    [tenantId],
  );
  return rows.length > 0;
}
