import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../../audit/audit.repo.js';
import type { ApiKeyScope } from '../../contracts/settings.contract.js';
import { apiKeyExpired, notFound } from '../../errors.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTenant, withTransaction } from '../../infra/db/transaction.js';
import {
  type ApiKeyInfo,
  expiredAt,
  insertApiKey,
  listApiKeyRows,
  lockUsableApiKey,
  markReplaced,
  revokeApiKeyRow,
  useApiKey,
} from './api-keys.repo.js';

export type { ApiKeyInfo } from './api-keys.repo.js';

const PREFIX = 'lore_';
const DAY_MS = 86_400_000;
/** What keys made without a choice may do: what every key could do before scopes existed. */
export const DEFAULT_SCOPES: ApiKeyScope[] = ['documents:read', 'documents:write'];
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const newKey = () => `${PREFIX}${randomBytes(32).toString('base64url')}`;

async function insertNew(
  c: DbClient,
  tenantId: string,
  p: { name: string; actor: string; scopes: ApiKeyScope[]; expiresAt: Date | null },
): Promise<{ key: string; info: ApiKeyInfo }> {
  const key = newKey();
  const info = await insertApiKey(c, {
    tenantId,
    name: p.name,
    hash: hashKey(key),
    prefix: key.slice(0, PREFIX.length + 6),
    scopes: [...new Set(p.scopes)],
    expiresAt: p.expiresAt,
    createdBy: p.actor,
  });
  return { key, info };
}

/** Creates a key. The plaintext is returned once and stored only as a hash. */
export async function createApiKey(
  db: Database,
  tenantId: string,
  p: { name: string; actor: string; scopes?: ApiKeyScope[]; expiresInDays?: number | null },
): Promise<{ key: string; info: ApiKeyInfo }> {
  const scopes = p.scopes ?? DEFAULT_SCOPES;
  const expiresAt = p.expiresInDays ? new Date(Date.now() + p.expiresInDays * DAY_MS) : null;
  return withTenant(db, tenantId, async (c) => {
    const created = await insertNew(c, tenantId, { ...p, scopes, expiresAt });
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: 'api_key.created',
      target: created.info.id,
      details: { name: p.name, scopes: created.info.scopes, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return created;
  });
}

/**
 * Rotates a key: a new key with the same name, scopes and lifetime is issued now, and the old one keeps
 * working for `graceHours` (so scripts can switch over), then stops. A revoked, expired or already rotated
 * key cannot rotate (404).
 */
export async function rotateApiKey(
  db: Database,
  tenantId: string,
  p: { id: string; graceHours: number; actor: string },
): Promise<{ key: string; info: ApiKeyInfo }> {
  return withTenant(db, tenantId, async (c) => {
    const old = await lockUsableApiKey(c, p.id);
    if (!old) throw notFound('Usable API key');
    // The new key lives as long as the old one was meant to, counted from now.
    const lifetimeMs = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
    const created = await insertNew(c, tenantId, {
      name: old.name,
      scopes: old.scopes,
      expiresAt: lifetimeMs ? new Date(Date.now() + lifetimeMs) : null,
      actor: p.actor,
    });
    await markReplaced(c, old.id, created.info.id, p.graceHours);
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: 'api_key.rotated',
      target: old.id,
      details: { name: old.name, newKeyId: created.info.id, graceHours: p.graceHours },
    });
    return created;
  });
}

/** Lists a tenant's keys, newest first. */
export async function listApiKeys(db: Database, tenantId: string): Promise<ApiKeyInfo[]> {
  return withTenant(db, tenantId, listApiKeyRows);
}

/** Revokes a key at once; another tenant's key id is "not found". */
export async function revokeApiKey(
  db: Database,
  tenantId: string,
  p: { id: string; actor: string },
): Promise<void> {
  await withTenant(db, tenantId, async (c) => {
    if (!(await revokeApiKeyRow(c, p.id))) throw notFound('API key');
    await appendAudit(c, { tenantId, actor: p.actor, action: 'api_key.revoked', target: p.id });
  });
}

/**
 * Resolves a presented key to its tenant and scopes, stamping its last use. Null for anything that is not a
 * working key; an expired one throws a 401 that says so (and when), so a script's owner knows to rotate.
 */
export async function resolveApiKey(
  db: Database,
  key: string,
): Promise<{ tenantId: string; keyId: string; scopes: ApiKeyScope[] } | null> {
  if (!key.startsWith(PREFIX) || key.length > 100) return null;
  const hash = hashKey(key);
  return withTransaction(db, async (c) => {
    const used = await useApiKey(c, hash);
    if (used) return used;
    const expired = await expiredAt(c, hash);
    if (expired) {
      throw apiKeyExpired(
        `This API key expired at ${expired.toISOString()}: ask a workspace admin for a new one (Settings → API keys)`,
      );
    }
    return null;
  });
}
