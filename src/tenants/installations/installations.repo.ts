import type { Queryable } from '../../infra/db/migrate.js';
import { type SlackKey, tenantKeyCondition } from '../slack-key.js';
import { TOKEN_COLUMNS as SEALED_TOKEN_COLUMNS, type TokenColumn } from './installation-record.js';

/** One installation row as stored: tokens are still ciphertexts (see cipher-box.ts). */
export interface StoredInstallation {
  id: string;
  tenantId: string;
  tenantStatus: 'active' | 'inactive' | 'suspended';
  tenantName: string;
  slackTeamId: string | null;
  slackEnterpriseId: string | null;
  isEnterpriseInstall: boolean;
  teamName: string | null;
  enterpriseName: string | null;
  enterpriseUrl: string | null;
  appId: string | null;
  tokenType: string | null;
  botId: string | null;
  botUserId: string | null;
  botScopes: string[];
  botTokenEncrypted: string | null;
  botRefreshTokenEncrypted: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string | null;
  userScopes: string[];
  userTokenEncrypted: string | null;
  userRefreshTokenEncrypted: string | null;
  userTokenExpiresAt: Date | null;
  keyId: string | null;
  incomingWebhook: Record<string, string | undefined> | null;
  metadata: string | null;
  authVersion: 'v1' | 'v2';
  installedAt: Date;
}

/** What a new installation row holds (tokens already encrypted). */
export type NewInstallationRow = Omit<
  StoredInstallation,
  'id' | 'tenantId' | 'tenantStatus' | 'tenantName' | 'installedAt'
>;

const COLUMNS = `i.id, i.tenant_id, t.status AS tenant_status, t.name AS tenant_name, i.slack_team_id,
  i.slack_enterprise_id, i.is_enterprise_install, i.team_name, i.enterprise_name, i.enterprise_url, i.app_id,
  i.token_type, i.bot_id, i.bot_user_id, i.bot_scopes, i.bot_token_encrypted, i.bot_refresh_token_encrypted,
  i.bot_token_expires_at, i.installer_user_id, i.user_scopes, i.user_token_encrypted,
  i.user_refresh_token_encrypted, i.user_token_expires_at, i.key_id, i.incoming_webhook, i.metadata,
  i.auth_version, i.installed_at`;
const FROM = 'FROM lore.installations i JOIN lore.tenants t ON t.id = i.tenant_id';

// biome-ignore lint/suspicious/noExplicitAny: rows come from pg untyped; toStored gives them their shape.
function toStored(r: any): StoredInstallation {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantStatus: r.tenant_status,
    tenantName: r.tenant_name,
    slackTeamId: r.slack_team_id,
    slackEnterpriseId: r.slack_enterprise_id,
    isEnterpriseInstall: r.is_enterprise_install,
    teamName: r.team_name,
    enterpriseName: r.enterprise_name,
    enterpriseUrl: r.enterprise_url,
    appId: r.app_id,
    tokenType: r.token_type,
    botId: r.bot_id,
    botUserId: r.bot_user_id,
    botScopes: r.bot_scopes ?? [],
    botTokenEncrypted: r.bot_token_encrypted,
    botRefreshTokenEncrypted: r.bot_refresh_token_encrypted,
    botTokenExpiresAt: r.bot_token_expires_at,
    installerUserId: r.installer_user_id,
    userScopes: r.user_scopes ?? [],
    userTokenEncrypted: r.user_token_encrypted,
    userRefreshTokenEncrypted: r.user_refresh_token_encrypted,
    userTokenExpiresAt: r.user_token_expires_at,
    keyId: r.key_id,
    incomingWebhook: r.incoming_webhook,
    metadata: r.metadata,
    authVersion: r.auth_version,
    installedAt: r.installed_at,
  };
}

/** Adds an installation row (every install and re-install is one: history is kept). */
export async function insertInstallationRow(
  q: Queryable,
  tenantId: string,
  r: NewInstallationRow,
): Promise<{ id: string; installedAt: Date }> {
  const { rows } = await q.query<{ id: string; installed_at: Date }>(
    `INSERT INTO lore.installations (tenant_id, slack_team_id, slack_enterprise_id, is_enterprise_install, team_name,
       enterprise_name, enterprise_url, app_id, token_type, bot_id, bot_user_id, bot_scopes, bot_token_encrypted,
       bot_refresh_token_encrypted, bot_token_expires_at, installer_user_id, user_scopes, user_token_encrypted,
       user_refresh_token_encrypted, user_token_expires_at, key_id, incoming_webhook, metadata, auth_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
     RETURNING id, installed_at`,
    [
      tenantId,
      r.slackTeamId,
      r.slackEnterpriseId,
      r.isEnterpriseInstall,
      r.teamName,
      r.enterpriseName,
      r.enterpriseUrl,
      r.appId,
      r.tokenType,
      r.botId,
      r.botUserId,
      r.botScopes,
      r.botTokenEncrypted,
      r.botRefreshTokenEncrypted,
      r.botTokenExpiresAt,
      r.installerUserId,
      r.userScopes,
      r.userTokenEncrypted,
      r.userRefreshTokenEncrypted,
      r.userTokenExpiresAt,
      r.keyId,
      r.incomingWebhook === null ? null : JSON.stringify(r.incomingWebhook),
      r.metadata,
      r.authVersion,
    ],
  );
  const row = rows[0] as { id: string; installed_at: Date };
  return { id: row.id, installedAt: row.installed_at };
}

/** The live rows of one tenant: the newest (the current install) and each user's newest row with a user token. */
export interface LiveInstallations {
  latest: StoredInstallation | null;
  users: StoredInstallation[];
}

async function liveRows(q: Queryable, where: string, param: string): Promise<LiveInstallations> {
  const live = `${where} AND i.uninstalled_at IS NULL`;
  // One statement, so a cache miss (every event of a workspace not seen for ten minutes) costs one round
  // trip. Bolt's user-token lookups want each user's own newest token, so one row per installer.
  const { rows } = await q.query(
    `(SELECT true AS is_latest, ${COLUMNS} ${FROM} WHERE ${live} ORDER BY i.installed_at DESC LIMIT 1)
     UNION ALL
     (SELECT DISTINCT ON (i.installer_user_id) false, ${COLUMNS} ${FROM}
      WHERE ${live} AND i.user_token_encrypted IS NOT NULL AND i.installer_user_id IS NOT NULL
      ORDER BY i.installer_user_id, i.installed_at DESC LIMIT 100)`,
    [param],
  );
  const latest = rows.find((r) => r.is_latest);
  return { latest: latest ? toStored(latest) : null, users: rows.filter((r) => !r.is_latest).map(toStored) };
}

/** Live installation rows for a Slack key (team install by team id, org-wide install by enterprise id). */
export function findLiveInstallationsByKey(q: Queryable, key: SlackKey): Promise<LiveInstallations> {
  const cond = tenantKeyCondition(key, 1);
  return liveRows(q, cond.sql, cond.param);
}

/** Live installation rows for a tenant id (jobs and the client factory know the tenant, not the team). */
export function findLiveInstallationsByTenant(q: Queryable, tenantId: string): Promise<LiveInstallations> {
  return liveRows(q, 't.id = $1', tenantId);
}

/** The current installation as the dashboard's overview describes it. */
export interface InstallationSummary {
  installedAt: Date;
  installedBy: string | null;
  teamName: string | null;
  isEnterpriseInstall: boolean;
  scopes: string[];
  tokenExpiresAt: Date | null;
  tokenRotates: boolean;
}

/** The newest live installation with a bot token (inside withTenant); undefined when there is none. */
export async function currentInstallationSummary(q: Queryable): Promise<InstallationSummary | undefined> {
  const { rows } = await q.query<InstallationSummary>(
    `SELECT installed_at AS "installedAt", installer_user_id AS "installedBy",
              coalesce(enterprise_name, team_name) AS "teamName", is_enterprise_install AS "isEnterpriseInstall",
              bot_scopes AS scopes, bot_token_expires_at AS "tokenExpiresAt",
              bot_refresh_token_encrypted IS NOT NULL AS "tokenRotates"
       FROM lore.installations WHERE uninstalled_at IS NULL AND bot_token_encrypted IS NOT NULL
       ORDER BY installed_at DESC LIMIT 1`,
  );
  return rows[0];
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

// Tokens: refresh, revocation, uninstall, key rotation.

/** New token values for one row after a refresh (ciphertexts; undefined leaves a column alone). */
export interface TokenPatch {
  botTokenEncrypted?: string | null;
  botRefreshTokenEncrypted?: string | null;
  botTokenExpiresAt?: Date | null;
  userTokenEncrypted?: string | null;
  userRefreshTokenEncrypted?: string | null;
  userTokenExpiresAt?: Date | null;
  keyId: string;
}

const PATCH_COLUMNS: Array<[keyof TokenPatch, string]> = [
  ['botTokenEncrypted', 'bot_token_encrypted'],
  ['botRefreshTokenEncrypted', 'bot_refresh_token_encrypted'],
  ['botTokenExpiresAt', 'bot_token_expires_at'],
  ['userTokenEncrypted', 'user_token_encrypted'],
  ['userRefreshTokenEncrypted', 'user_refresh_token_encrypted'],
  ['userTokenExpiresAt', 'user_token_expires_at'],
  ['keyId', 'key_id'],
];

/** Writes new token values into an existing row (token refresh, key rotation); false when the row is gone. */
export async function updateInstallationTokens(
  q: Queryable,
  rowId: string,
  patch: TokenPatch,
): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [rowId];
  for (const [field, column] of PATCH_COLUMNS) {
    if (patch[field] === undefined) continue;
    params.push(patch[field]);
    sets.push(`${column} = $${params.length}`);
  }
  const res = await q.query(
    `UPDATE lore.installations SET ${sets.join(', ')} WHERE id = $1 AND uninstalled_at IS NULL`,
    params,
  );
  return (res.rowCount ?? 0) > 0;
}

// The bot and user halves of an installation row: the token columns and the id that owns them.
const TOKEN_COLUMNS = {
  bot: { prefix: 'bot', owner: 'bot_user_id' },
  user: { prefix: 'user', owner: 'installer_user_id' },
} as const;

/**
 * Deletes the bot or user tokens of a tenant's rows (all, or only those of the given bot users or
 * installing users) and stamps when; returns the ids of the rows that changed.
 */
export async function revokeTokens(
  q: Queryable,
  kind: keyof typeof TOKEN_COLUMNS,
  tenantId: string,
  ownerIds: string[] | 'all',
  at: Date,
): Promise<string[]> {
  const { prefix: p, owner } = TOKEN_COLUMNS[kind];
  const { rows } = await q.query<{ id: string }>(
    `UPDATE lore.installations SET ${p}_token_encrypted = NULL, ${p}_refresh_token_encrypted = NULL,
       ${p}_token_expires_at = NULL, ${p}_revoked_at = $2
     WHERE tenant_id = $1 AND (${p}_token_encrypted IS NOT NULL OR ${p}_refresh_token_encrypted IS NOT NULL)
       AND ($3::text[] IS NULL OR ${owner} = ANY($3::text[]))
     RETURNING id`,
    [tenantId, at, ownerIds === 'all' ? null : ownerIds],
  );
  return rows.map((r) => r.id);
}

/** Marks every live row of a tenant uninstalled (after its tokens were revoked). */
export async function markInstallationsUninstalled(
  q: Queryable,
  tenantId: string,
  at: Date,
): Promise<number> {
  const res = await q.query(
    'UPDATE lore.installations SET uninstalled_at = $2 WHERE tenant_id = $1 AND uninstalled_at IS NULL',
    [tenantId, at],
  );
  return res.rowCount ?? 0;
}

/** Active tenants whose current bot token has a refresh token and expires before `before`. */
export async function listExpiringInstallations(
  q: Queryable,
  before: Date,
  limit = 200,
): Promise<Array<{ tenantId: string; installationId: string; expiresAt: Date }>> {
  const { rows } = await q.query<{ tenant_id: string; id: string; bot_token_expires_at: Date }>(
    `SELECT l.tenant_id, l.id, l.bot_token_expires_at FROM (
       SELECT DISTINCT ON (tenant_id) id, tenant_id, bot_refresh_token_encrypted, bot_token_expires_at
       FROM lore.installations WHERE uninstalled_at IS NULL ORDER BY tenant_id, installed_at DESC) l
     JOIN lore.tenants t ON t.id = l.tenant_id AND t.status = 'active'
     WHERE l.bot_refresh_token_encrypted IS NOT NULL AND l.bot_token_expires_at < $1
     ORDER BY l.bot_token_expires_at LIMIT $2`,
    [before, limit],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    installationId: r.id,
    expiresAt: r.bot_token_expires_at,
  }));
}

/** Up to `limit` installation ids after `after`, in id order (key rotation walks every row this way; owner). */
export async function installationIdsAfter(q: Queryable, after: string, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    'SELECT id FROM lore.installations WHERE id > $1 ORDER BY id LIMIT $2',
    [after, limit],
  );
  return rows.map((r) => r.id);
}

/** An installation row's tenant and sealed token columns, locked until commit; undefined when it is gone. */
export async function lockSealedTokens(
  q: Queryable,
  id: string,
): Promise<(Record<TokenColumn, string | null> & { tenant_id: string }) | undefined> {
  const { rows } = await q.query<Record<TokenColumn, string | null> & { tenant_id: string }>(
    `SELECT tenant_id, ${SEALED_TOKEN_COLUMNS.join(', ')} FROM lore.installations WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** Writes re-sealed token columns of one row and the key they were sealed with. */
export async function writeResealedTokens(
  q: Queryable,
  id: string,
  updates: ReadonlyArray<[TokenColumn, string]>,
  keyId: string,
): Promise<void> {
  await q.query(
    `UPDATE lore.installations SET ${updates.map(([col], i) => `${col} = $${i + 2}`).join(', ')},
             key_id = $${updates.length + 2} WHERE id = $1`,
    [id, ...updates.map(([, v]) => v), keyId],
  );
}
