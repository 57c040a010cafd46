import { appendAudit } from '../../audit/audit.repo.js';
import type { CipherBox } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant, withTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import { openAiKeyContext } from '../settings/settings.service.js';
import {
  lockSealedOpenAiKey,
  replaceSealedOpenAiKey,
  tenantIdsWithOpenAiKey,
} from '../settings/tenant-settings.repo.js';
import { keyOfTenant } from '../slack-key.js';
import { findTenantState } from '../tenants.repo.js';
import { TOKEN_COLUMNS, type TokenColumn, tokenContext } from './installation-record.js';
import { installationIdsAfter, lockSealedTokens, writeResealedTokens } from './installations.repo.js';
import type { InstallationService } from './installations.service.js';
import { countStaleSecrets } from './stored-secrets.repo.js';

/** How many values a rotation re-encrypted, and how many already used the active key. */
export interface RotationReport {
  activeKeyId: string;
  installationRows: number;
  settingsRows: number;
  valuesReencrypted: number;
  valuesAlreadyCurrent: number;
  /** Values no configured key can decrypt (left as they are; their key is missing from ENCRYPTION_KEYS). */
  valuesUndecryptable: number;
}

const BATCH = 200;

/**
 * Re-encrypts every stored secret that was written with an older key (installation tokens, tenants' OpenAI
 * keys) with the active key, in batches, row by row under a lock. Old keys keep decrypting until this has
 * run; afterwards they can be removed from ENCRYPTION_KEYS. Cached installations are dropped, since the
 * caches hold ciphertexts. Running it again changes nothing.
 */
export async function rotateEncryptionKeys(deps: {
  db: Database;
  cipher: CipherBox;
  installations: Pick<InstallationService, 'invalidate'>;
  actor: string;
  /** Audit a run that re-encrypted nothing (default true: an operator's `keys rotate` is always recorded). */
  auditUnchanged?: boolean;
}): Promise<RotationReport> {
  const { db, cipher } = deps;
  const report: RotationReport = {
    activeKeyId: cipher.activeKeyId,
    installationRows: 0,
    settingsRows: 0,
    valuesReencrypted: 0,
    valuesAlreadyCurrent: 0,
    valuesUndecryptable: 0,
  };
  // Also binds values written before binding existed to their row (see secretContext).
  const reseal = (value: string, context: string): string | undefined => {
    try {
      return cipher.encrypt(cipher.decrypt(value, context), context);
    } catch {
      report.valuesUndecryptable += 1;
      return undefined;
    }
  };
  const touchedTenants = new Set<string>();

  // Installations: owner-only writes (the app role may only read them).
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = await installationIdsAfter(db.pool, after, BATCH);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] ?? after;
    for (const id of ids) {
      await withTransaction(db, async (c) => {
        const row = await lockSealedTokens(c, id);
        if (!row) return;
        const updates: Array<[TokenColumn, string]> = [];
        for (const column of TOKEN_COLUMNS) {
          const value = row[column];
          if (!value) continue;
          if (!cipher.needsRotation(value)) {
            report.valuesAlreadyCurrent += 1;
            continue;
          }
          const resealed = reseal(value, tokenContext(row.tenant_id, column));
          if (resealed) updates.push([column, resealed]);
        }
        if (updates.length === 0) return;
        await writeResealedTokens(c, id, updates, cipher.activeKeyId);
        report.installationRows += 1;
        report.valuesReencrypted += updates.length;
        touchedTenants.add(row.tenant_id);
      });
    }
  }

  // Tenants' own OpenAI keys: tenant data, so each is rewritten inside its tenant's context.
  for (const tenantId of await tenantIdsWithOpenAiKey(db.pool)) {
    await withTenant(db, tenantId, async (c) => {
      const value = await lockSealedOpenAiKey(c, tenantId);
      if (!value) return;
      if (!cipher.needsRotation(value)) {
        report.valuesAlreadyCurrent += 1;
        return;
      }
      const resealed = reseal(value, openAiKeyContext(tenantId));
      if (!resealed) return;
      await replaceSealedOpenAiKey(c, tenantId, resealed);
      report.settingsRows += 1;
      report.valuesReencrypted += 1;
    });
  }

  if (deps.auditUnchanged !== false || report.valuesReencrypted > 0) {
    await withTransaction(db, (c) =>
      appendAudit(c, { tenantId: null, actor: deps.actor, action: 'keys.rotated', details: { ...report } }),
    );
  }
  for (const tenantId of touchedTenants) {
    const tenant = await findTenantState(db.pool, tenantId);
    if (!tenant) continue;
    await deps.installations.invalidate(tenantId, keyOfTenant(tenant));
  }
  return report;
}

/** Who the audit trail names for re-encryption a worker did by itself at start. */
export const STARTUP_ACTOR = 'system:worker-start';

/**
 * Run by every worker at start, so an upgrade needs no operator step: secrets written before AES-GCM
 * binding, or with a key that is no longer the active one, are rewritten bound with the active key. A cheap
 * count first, so a worker with nothing to do touches no row. Safe with several workers starting at once:
 * each row is locked and checked again before it is rewritten, so a value is rewritten once, and the audit
 * trail gets an entry only from a run that rewrote something. `keys rotate` does the same on demand.
 */
export async function upgradeStoredSecrets(deps: {
  db: Database;
  cipher: CipherBox;
  installations: Pick<InstallationService, 'invalidate'>;
  logger: Logger;
}): Promise<RotationReport | undefined> {
  const stale = await countStaleSecrets(deps.db.pool, deps.cipher.activeKeyId);
  if (stale === 0) return undefined;
  const report = await rotateEncryptionKeys({ ...deps, actor: STARTUP_ACTOR, auditUnchanged: false });
  const { valuesReencrypted, valuesUndecryptable, activeKeyId } = report;
  deps.logger.info({ valuesReencrypted, activeKeyId }, 'stored secrets re-encrypted with the active key');
  if (valuesUndecryptable > 0)
    deps.logger.warn(
      { valuesUndecryptable },
      'stored secrets no configured key decrypts: put their key back into ENCRYPTION_KEYS',
    );
  return report;
}
