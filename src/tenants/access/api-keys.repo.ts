import type { ApiKeyScope } from '../../contracts/settings.contract.js';
import type { DbClient } from '../../infra/db/database.js';

/** An API key as listed (never the key itself: only its prefix). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  replacedBy: string | null;
}

const COLUMNS = `id, name, key_prefix AS prefix, scopes, created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt", replaced_by AS "replacedBy"`;

/** Inserts a key (inside withTenant). */
export async function insertApiKey(
  c: DbClient,
  k: {
    tenantId: string;
    name: string;
    hash: string;
    prefix: string;
    scopes: ApiKeyScope[];
    expiresAt: Date | null;
    createdBy: string;
  },
): Promise<ApiKeyInfo> {
  const { rows } = await c.query<ApiKeyInfo>(
    `INSERT INTO lore.api_keys (tenant_id, name, key_hash, key_prefix, scopes, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [k.tenantId, k.name, k.hash, k.prefix, k.scopes, k.expiresAt, k.createdBy],
  );
  return rows[0] as ApiKeyInfo;
}

/** The current tenant's keys, newest first (inside withTenant). */
export async function listApiKeyRows(c: DbClient): Promise<ApiKeyInfo[]> {
  const { rows } = await c.query<ApiKeyInfo>(`SELECT ${COLUMNS} FROM lore.api_keys ORDER BY created_at DESC`);
  return rows;
}

/** A key that still works and was not rotated yet, locked for a rotation (inside withTenant); else null. */
export async function lockUsableApiKey(c: DbClient, id: string): Promise<ApiKeyInfo | null> {
  const { rows } = await c.query<ApiKeyInfo>(
    `SELECT ${COLUMNS} FROM lore.api_keys
     WHERE id::text = $1 AND revoked_at IS NULL AND replaced_by IS NULL
       AND (expires_at IS NULL OR expires_at > now())
     FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** Ends a rotated key's life at the end of its grace period (never later than an expiry it already had). */
export async function markReplaced(c: DbClient, id: string, by: string, graceHours: number): Promise<void> {
  await c.query(
    `UPDATE lore.api_keys
     SET replaced_by = $2,
         expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(hours => $3))
     WHERE id = $1`,
    [id, by, graceHours],
  );
}

/** Revokes a key now; false when there was none to revoke. */
export async function revokeApiKeyRow(c: DbClient, id: string): Promise<boolean> {
  const { rowCount } = await c.query(
    'UPDATE lore.api_keys SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL',
    [id],
  );
  return Boolean(rowCount);
}

/**
 * Resolves a presented key's hash to its tenant and scopes and stamps its last use (owner role: the tenant
 * is not known yet). Revoked and expired keys, and keys of inactive or suspended tenants, match nothing.
 */
export async function useApiKey(
  c: DbClient,
  hash: string,
): Promise<{ tenantId: string; keyId: string; scopes: ApiKeyScope[] } | null> {
  const { rows } = await c.query<{ tenantId: string; keyId: string; scopes: ApiKeyScope[] }>(
    `UPDATE lore.api_keys k SET last_used_at = now()
     FROM lore.tenants t
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       AND t.id = k.tenant_id AND t.status = 'active'
     RETURNING k.tenant_id AS "tenantId", k.id AS "keyId", k.scopes`,
    [hash],
  );
  return rows[0] ?? null;
}

/** When a key that no longer works expired (null when it is unknown, revoked, or never expired). */
export async function expiredAt(c: DbClient, hash: string): Promise<Date | null> {
  const { rows } = await c.query<{ expiresAt: Date }>(
    `SELECT expires_at AS "expiresAt" FROM lore.api_keys
     WHERE key_hash = $1 AND revoked_at IS NULL AND expires_at <= now()`,
    [hash],
  );
  return rows[0]?.expiresAt ?? null;
}
