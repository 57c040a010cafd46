import type { Queryable } from '../../infra/db/migrate.js';
import { TOKEN_COLUMNS as SEALED_TOKEN_COLUMNS, type TokenColumn } from './installation-record.js';

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
