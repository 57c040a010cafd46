import type { PlatformTenantDto } from '../contracts/platform.contract.js';
import type { WithDates } from '../contracts/with-dates.js';
import type { Queryable } from '../infra/db/migrate.js';
import { ensureTenantSettings } from './settings/tenant-settings.repo.js';
import { type SlackKey, tenantKeyCondition } from './slack-key.js';

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

/** Every lore.tenants column the app maps to an object (TENANT_COLUMNS_OF_T: the same, with alias `t`). */
const COLUMNS = `id, slack_team_id, slack_enterprise_id, is_enterprise_install, name, plan_id, status, is_demo,
  created_at, last_activity_at, welcomed_at, deactivated_at`;
const TENANT_COLUMNS_OF_T = COLUMNS.split(',')
  .map((c) => `t.${c.trim()}`)
  .join(', ');

/** A lore.tenants row as selected with COLUMNS. */
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
  welcomed_at: Date | null;
  deactivated_at: Date | null;
}

/** Everything the app reads of a tenant; Tenant and TenantState are views of it. */
export interface TenantRecord extends Tenant {
  welcomedAt: Date | null;
  deactivatedAt: Date | null;
}

/** The one mapper of a lore.tenants row (issue 16: one mapper per table). */
function toTenantRecord(r: TenantRow): TenantRecord {
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
    welcomedAt: r.welcomed_at,
    deactivatedAt: r.deactivated_at,
  };
}

/** A view of a tenant record with exactly these fields, in this order (what `tenants list --json` prints). */
function pickTenantFields<K extends keyof TenantRecord>(
  record: TenantRecord,
  keys: readonly K[],
): Pick<TenantRecord, K> {
  return Object.fromEntries(keys.map((k) => [k, record[k]])) as Pick<TenantRecord, K>;
}

const TENANT_FIELDS = [
  'id',
  'slackTeamId',
  'slackEnterpriseId',
  'isEnterpriseInstall',
  'name',
  'planId',
  'status',
  'isDemo',
  'createdAt',
  'lastActivityAt',
] as const satisfies readonly (keyof Tenant)[];

const toTenant = (r: TenantRow): Tenant => pickTenantFields(toTenantRecord(r), TENANT_FIELDS);

// Lifecycle: whether a tenant is served (install, uninstall, suspend, resume, purge).

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

const toState = (r: TenantRow): TenantState => pickTenantFields(toTenantRecord(r), STATE_FIELDS);

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
    `SELECT ${TENANT_COLUMNS_OF_T} FROM lore.tenants t WHERE ${cond.sql} FOR UPDATE`,
    [cond.param],
  );
  return rows[0] ? toState(rows[0]) : null;
}

/** The tenant by id, locked until commit; null when there is none. */
export async function lockTenantById(q: Queryable, tenantId: string): Promise<TenantState | null> {
  const { rows } = await q.query<TenantRow>(
    `SELECT ${TENANT_COLUMNS_OF_T} FROM lore.tenants t WHERE t.id = $1 FOR UPDATE`,
    [tenantId],
  );
  return rows[0] ? toState(rows[0]) : null;
}

/** The tenant by id, unlocked; null when there is none. */
export async function findTenantState(q: Queryable, tenantId: string): Promise<TenantState | null> {
  const { rows } = await q.query<TenantRow>(
    `SELECT ${TENANT_COLUMNS_OF_T} FROM lore.tenants t WHERE t.id = $1`,
    [tenantId],
  );
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
  await ensureTenantSettings(q, tenant.id);
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

/** Which of these ids are tenants (an announcement may only name real workspaces). */
export async function existingTenantIds(q: Queryable, ids: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM lore.tenants WHERE id = ANY($1::uuid[])', [
    ids,
  ]);
  return rows.map((r) => r.id);
}

/** Active tenants an announcement addresses: all of them, those on one plan, or the listed ones. */
export async function activeTenantIdsFor(
  q: Queryable,
  audience: { kind: 'all' } | { kind: 'plan'; planId: string } | { kind: 'tenants'; tenantIds: string[] },
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM lore.tenants
     WHERE status = 'active' AND ($1 = 'all' OR ($1 = 'plan' AND plan_id = $2) OR ($1 = 'tenants' AND id = ANY($3::uuid[])))
     ORDER BY id`,
    [
      audience.kind,
      audience.kind === 'plan' ? audience.planId : null,
      audience.kind === 'tenants' ? audience.tenantIds : [],
    ],
  );
  return rows.map((r) => r.id);
}

/** What answering a question needs to know about the current tenant, read in one statement. */
export interface TenantAnswerFacts {
  status: Tenant['status'];
  channelMode: 'all' | 'selected';
  allowedChannels: string[];
  style: 'concise' | 'detailed';
  instructions: string;
  /** The workspace's own OpenAI key, still encrypted (null: the platform key answers). */
  openAiKeySealed: string | null;
}

/** The current tenant's answer facts (call inside withTenant); null when the tenant is gone. */
export async function answerFactsOfCurrentTenant(q: Queryable): Promise<TenantAnswerFacts | null> {
  const { rows } = await q.query<TenantAnswerFacts>(
    `SELECT t.status, s.channel_mode AS "channelMode", s.allowed_channel_ids AS "allowedChannels",
            s.answer_style AS style, s.instructions, s.openai_key_encrypted AS "openAiKeySealed"
     FROM lore.tenants t JOIN lore.tenant_settings s ON s.tenant_id = t.id
     WHERE t.id = lore.current_tenant_id()`,
  );
  return rows[0] ?? null;
}

/** Marks the tenant active now (the operator view's "last activity"). */
export async function touchTenantActivity(q: Queryable, tenantId: string): Promise<void> {
  await q.query('UPDATE lore.tenants SET last_activity_at = now() WHERE id = $1', [tenantId]);
}

/** A workspace and when it last answered a question in Slack (null: never). */
export interface TenantLastActivity {
  id: string;
  name: string;
  lastActivityAt: Date | null;
}

/**
 * The `limit` active workspaces (demo ones aside) that have been quiet longest, those never active first:
 * read in the order of a partial index, so it costs the same however many tenants there are.
 */
export async function quietestActiveTenants(q: Queryable, limit: number): Promise<TenantLastActivity[]> {
  const { rows } = await q.query<TenantLastActivity>(
    `SELECT id, name, last_activity_at AS "lastActivityAt" FROM lore.tenants
     WHERE status = 'active' AND NOT is_demo
     ORDER BY last_activity_at NULLS FIRST, id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Whether the installer may still be welcomed: the tenant's status and when it was welcomed, if ever. */
export async function welcomeStateOf(
  q: Queryable,
  tenantId: string,
): Promise<{ status: Tenant['status']; welcomedAt: Date | null } | null> {
  const { rows } = await q.query<{ status: Tenant['status']; welcomedAt: Date | null }>(
    'SELECT status, welcomed_at AS "welcomedAt" FROM lore.tenants WHERE id = $1',
    [tenantId],
  );
  return rows[0] ?? null;
}

/** Records the welcome DM as sent (only the first time counts). */
export async function markWelcomed(q: Queryable, tenantId: string): Promise<void> {
  await q.query('UPDATE lore.tenants SET welcomed_at = now() WHERE id = $1 AND welcomed_at IS NULL', [
    tenantId,
  ]);
}

/** Up to 100 tenants inactive since before `cutoff` (never the demo), longest inactive first. */
export async function listPurgeableTenantIds(q: Queryable, cutoff: Date): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM lore.tenants WHERE status = 'inactive' AND NOT is_demo AND deactivated_at < $1
     ORDER BY deactivated_at LIMIT 100`,
    [cutoff],
  );
  return rows.map((r) => r.id);
}

/** What the purge audit keeps of a tenant. */
export interface PurgedTenantFacts {
  name: string;
  slackTeamId: string | null;
  slackEnterpriseId: string | null;
  deactivatedAt: Date;
}

/** Locks the tenant if it is still purgeable (a re-install meanwhile wins: null). */
export async function lockPurgeableTenant(
  q: Queryable,
  id: string,
  cutoff: Date,
): Promise<PurgedTenantFacts | null> {
  const { rows } = await q.query<PurgedTenantFacts>(
    `SELECT name, slack_team_id AS "slackTeamId", slack_enterprise_id AS "slackEnterpriseId",
            deactivated_at AS "deactivatedAt"
     FROM lore.tenants WHERE id = $1 AND status = 'inactive' AND deactivated_at < $2 FOR UPDATE`,
    [id, cutoff],
  );
  return rows[0] ?? null;
}

/** Deletes a tenant; its rows go with it (foreign keys cascade). */
export async function deleteTenant(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM lore.tenants WHERE id = $1', [id]);
}

/** The tenant's name (the danger zone asks for it as confirmation); undefined when it is not visible. */
export async function tenantNameOf(q: Queryable, tenantId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string }>('SELECT name FROM lore.tenants WHERE id = $1', [tenantId]);
  return rows[0]?.name;
}

/** The overview's facts about a tenant: name, status, demo flag, last activity, and its plan's name. */
export interface TenantOverviewFacts {
  name: string;
  status: Tenant['status'];
  isDemo: boolean;
  lastActivityAt: Date | null;
  planName: string;
}

/** The tenant's overview facts (inside withTenant); undefined when the tenant is not visible. */
export async function overviewFactsOf(
  q: Queryable,
  tenantId: string,
): Promise<TenantOverviewFacts | undefined> {
  const { rows } = await q.query<TenantOverviewFacts>(
    `SELECT t.name, t.status, t.is_demo AS "isDemo", t.last_activity_at AS "lastActivityAt", p.name AS "planName"
       FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id WHERE t.id = $1`,
    [tenantId],
  );
  return rows[0];
}

/**
 * Who installed the workspace's current installation. Installations are history rows and a reinstall adds
 * one without ending the old: only the newest live row's installer keeps installer rights, so whoever
 * installed Lore before someone else reinstalled it needs a Slack admin or owner role to get in.
 */
const CURRENT_INSTALLER = `coalesce((SELECT i.installer_user_id FROM lore.installations i
  WHERE i.tenant_id = t.id AND i.uninstalled_at IS NULL ORDER BY i.installed_at DESC LIMIT 1), '')`;

/** A tenant a signing-in Slack member belongs to, and whether they installed its current installation. */
export interface SignInCandidate {
  id: string;
  name: string;
  slackTeamId: string | null;
  status: Tenant['status'];
  isInstaller: boolean;
}

/**
 * Tenants not inactive whose team (or, for org-wide installs, enterprise) is the member's; org-wide first,
 * then by name. Owner role: the tenant is what we are looking for.
 */
export async function signInCandidates(
  q: Queryable,
  who: { teamId: string; enterpriseId: string | null; userId: string },
): Promise<SignInCandidate[]> {
  const { rows } = await q.query<SignInCandidate>(
    `SELECT t.id, t.name, t.slack_team_id AS "slackTeamId", t.status,
              ${CURRENT_INSTALLER} = $3 AS "isInstaller"
       FROM lore.tenants t
       WHERE t.status <> 'inactive'
         AND ((NOT t.is_enterprise_install AND t.slack_team_id = $1)
              OR (t.is_enterprise_install AND t.slack_enterprise_id = $2))
       ORDER BY t.is_enterprise_install DESC, t.name`,
    [who.teamId, who.enterpriseId, who.userId],
  );
  return rows;
}

/** One tenant's access facts for a member: status, installer or not, and whether it has a live installation. */
export async function accessFactsOf(
  q: Queryable,
  tenantId: string,
  userId: string,
): Promise<(Omit<SignInCandidate, 'slackTeamId'> & { installed: boolean }) | undefined> {
  const { rows } = await q.query<Omit<SignInCandidate, 'slackTeamId'> & { installed: boolean }>(
    `SELECT t.id, t.name, t.status,
              ${CURRENT_INSTALLER} = $2 AS "isInstaller",
              EXISTS (SELECT 1 FROM lore.installations i WHERE i.tenant_id = t.id AND i.uninstalled_at IS NULL)
                AS installed
       FROM lore.tenants t WHERE t.id = $1`,
    [tenantId, userId],
  );
  return rows[0];
}

/** Which tenants the operator view lists: a name or Slack id fragment, and a status. */
export interface TenantListFilter {
  search?: string;
  status?: Tenant['status'];
}

const LIST_SORTS = {
  name: 'lower(t.name) ASC',
  created: 't.created_at DESC',
  activity: '"lastActivityAt" DESC NULLS LAST',
  questions: '"questionsThisMonth" DESC',
} as const;

const LIST_WHERE = `($1::text IS NULL OR t.name ILIKE '%' || $1 || '%' OR t.slack_team_id = $1 OR t.slack_enterprise_id = $1)
      AND ($2::text IS NULL OR t.status = $2)`;

const listParams = (f: TenantListFilter) => [f.search?.trim() || null, f.status ?? null];

/**
 * One page of tenants with plan, quotas, documents and usage since `since` (answers, tokens, cost), for the
 * operator view. Owner role: across tenants.
 */
export async function listTenantsWithUsage(
  q: Queryable,
  f: TenantListFilter & { sort: keyof typeof LIST_SORTS; limit: number; offset: number; since: Date },
): Promise<WithDates<PlatformTenantDto, 'createdAt' | 'lastActivityAt'>[]> {
  const { rows } = await q.query<WithDates<PlatformTenantDto, 'createdAt' | 'lastActivityAt'>>(
    `WITH q AS (SELECT tenant_id, count(*)::int AS n, max(created_at) AS last FROM lore.answers
                  WHERE created_at >= $3 GROUP BY 1),
            u AS (SELECT tenant_id, sum(total_tokens)::float8 AS tokens, sum(cost_usd)::float8 AS cost
                  FROM lore.usage_events WHERE created_at >= $3 GROUP BY 1),
            d AS (SELECT tenant_id, count(*)::int AS n FROM lore.documents GROUP BY 1)
       SELECT t.id, t.name, CASE WHEN t.is_enterprise_install THEN t.slack_enterprise_id ELSE t.slack_team_id END AS "slackId",
              t.is_enterprise_install AS "isEnterpriseInstall", t.is_demo AS "isDemo", t.status, t.plan_id AS "planId",
              coalesce(t.monthly_token_quota, p.monthly_token_quota)::float8 AS "monthlyTokenQuota",
              coalesce(t.monthly_question_quota, p.monthly_question_quota) AS "monthlyQuestionQuota",
              (t.monthly_token_quota IS NOT NULL OR t.monthly_question_quota IS NOT NULL) AS "quotaOverridden",
              coalesce(d.n, 0) AS documents, coalesce(q.n, 0) AS "questionsThisMonth",
              coalesce(u.tokens, 0) AS "tokensThisMonth", round(coalesce(u.cost, 0)::numeric, 6)::float8 AS "costThisMonthUsd",
              t.created_at AS "createdAt",
              nullif(greatest(coalesce(t.last_activity_at, '-infinity'), coalesce(q.last, '-infinity')), '-infinity') AS "lastActivityAt"
       FROM lore.tenants t JOIN lore.plans p ON p.id = t.plan_id
       LEFT JOIN q ON q.tenant_id = t.id LEFT JOIN u ON u.tenant_id = t.id LEFT JOIN d ON d.tenant_id = t.id
       WHERE ${LIST_WHERE}
       ORDER BY ${LIST_SORTS[f.sort]}, t.id LIMIT $4 OFFSET $5`,
    [...listParams(f), f.since, f.limit, f.offset],
  );
  return rows;
}

/** How many tenants match the operator view's filter. */
export async function countTenantsMatching(q: Queryable, f: TenantListFilter): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lore.tenants t WHERE ${LIST_WHERE}`,
    listParams(f),
  );
  return rows[0]?.n ?? 0;
}

/** Tenants by status, with the platform's document and chunk counts (owner role, for the operator view). */
export async function tenantTotals(
  q: Queryable,
): Promise<
  | { total: number; active: number; suspended: number; inactive: number; documents: number; chunks: number }
  | undefined
> {
  const { rows } = await q.query<{
    total: number;
    active: number;
    suspended: number;
    inactive: number;
    documents: number;
    chunks: number;
  }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'active')::int AS active,
              count(*) FILTER (WHERE status = 'suspended')::int AS suspended,
              count(*) FILTER (WHERE status = 'inactive')::int AS inactive,
              (SELECT count(*) FROM lore.documents)::int AS documents, (SELECT count(*) FROM lore.chunks)::int AS chunks
       FROM lore.tenants`,
  );
  return rows[0];
}

/** Sets a tenant's plan and/or quota overrides (null: the plan's quota); false when there is no such tenant. */
export async function updateTenantPlanAndQuotas(
  q: Queryable,
  tenantId: string,
  change: { planId?: string; monthlyTokenQuota?: number | null; monthlyQuestionQuota?: number | null },
): Promise<boolean> {
  const sets: string[] = [];
  const values: unknown[] = [tenantId];
  const add = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (change.planId !== undefined) add('plan_id', change.planId);
  if (change.monthlyTokenQuota !== undefined) add('monthly_token_quota', change.monthlyTokenQuota);
  if (change.monthlyQuestionQuota !== undefined) add('monthly_question_quota', change.monthlyQuestionQuota);
  const { rowCount } = await q.query(`UPDATE lore.tenants SET ${sets.join(', ')} WHERE id = $1`, values);
  return Boolean(rowCount);
}

/** Whether the tenant is a demo workspace; false when it is not visible. */
export async function isDemoTenant(q: Queryable, tenantId: string): Promise<boolean> {
  const { rows } = await q.query<{ isDemo: boolean }>(
    'SELECT is_demo AS "isDemo" FROM lore.tenants WHERE id = $1',
    [tenantId],
  );
  return Boolean(rows[0]?.isDemo);
}
