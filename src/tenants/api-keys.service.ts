import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { Database } from '../infra/db/database.js';
import { withTenant, withTransaction } from '../infra/db/transaction.js';

/** An API key as listed (never the key itself: only its prefix). */
export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const PREFIX = 'lore_';
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates a key for scripted document syncs. The plaintext is returned once and stored only as a hash. */
export async function createApiKey(
  db: Database,
  tenantId: string,
  p: { name: string; actor: string },
): Promise<{ key: string; info: ApiKeyInfo }> {
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const info = await withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<ApiKeyInfo>(
      `INSERT INTO lore.api_keys (tenant_id, name, key_hash, key_prefix, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, name, key_prefix AS prefix, created_by AS "createdBy", created_at AS "createdAt",
                 last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`,
      [tenantId, p.name, hashKey(key), key.slice(0, PREFIX.length + 6), p.actor],
    );
    const created = rows[0] as ApiKeyInfo;
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: 'api_key.created',
      target: created.id,
      details: { name: p.name },
    });
    return created;
  });
  return { key, info };
}

/** Lists a tenant's keys, newest first. */
export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyInfo[]> {
  return withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<ApiKeyInfo>(
      `SELECT id, name, key_prefix AS prefix, created_by AS "createdBy", created_at AS "createdAt",
              last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM lore.api_keys ORDER BY created_at DESC`,
    );
    return rows;
  });
}

/** Revokes a key at once; another tenant's key id is "not found". */
export async function revokeApiKey(
  db: Database,
  tenantId: string,
  p: { id: string; actor: string },
): Promise<void> {
  await withTenant(db, tenantId, async (c) => {
    const { rowCount } = await c.query(
      'UPDATE lore.api_keys SET revoked_at = now() WHERE id::text = $1 AND revoked_at IS NULL',
      [p.id],
    );
    if (!rowCount) throw notFound('API key');
    await appendAudit(c, { tenantId, actor: p.actor, action: 'api_key.revoked', target: p.id });
  });
}

/**
 * Resolves a presented key to its tenant (owner role: the tenant is not known yet). Revoked keys and
 * keys of inactive or suspended tenants resolve to nothing.
 */
export async function resolveApiKey(
  db: Database,
  key: string,
): Promise<{ tenantId: string; keyId: string } | null> {
  if (!key.startsWith(PREFIX) || key.length > 100) return null;
  return withTransaction(db, async (c) => {
    const { rows } = await c.query<{ tenantId: string; keyId: string }>(
      `UPDATE lore.api_keys k SET last_used_at = now()
       FROM lore.tenants t
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND t.id = k.tenant_id AND t.status = 'active'
       RETURNING k.tenant_id AS "tenantId", k.id AS "keyId"`,
      [hashKey(key)],
    );
    return rows[0] ?? null;
  });
}
