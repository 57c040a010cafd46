import { appendAudit } from '../../audit/audit.repo.js';
import type { CipherBox } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant, withTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import { keyOfTenant } from '../lifecycle/tenant-status.repo.js';
import { openAiKeyContext } from '../settings/settings.service.js';
import { TOKEN_COLUMNS, tokenContext } from './installation-record.js';
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
    const { rows } = await db.pool.query<{ id: string }>(
      'SELECT id FROM lore.installations WHERE id > $1 ORDER BY id LIMIT $2',
      [after, BATCH],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.id ?? after;
    for (const { id } of rows) {
      await withTransaction(db, async (c) => {
        const res = await c.query<Record<string, string | null> & { tenant_id: string }>(
          `SELECT tenant_id, ${TOKEN_COLUMNS.join(', ')} FROM lore.installations WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const row = res.rows[0];
        if (!row) return;
        const updates: Array<[string, string]> = [];
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
        await c.query(
          `UPDATE lore.installations SET ${updates.map(([col], i) => `${col} = $${i + 2}`).join(', ')},
             key_id = $${updates.length + 2} WHERE id = $1`,
          [id, ...updates.map(([, v]) => v), cipher.activeKeyId],
        );
        report.installationRows += 1;
        report.valuesReencrypted += updates.length;
        touchedTenants.add(row.tenant_id);
      });
    }
  }

  // Tenants' own OpenAI keys: tenant data, so each is rewritten inside its tenant's context.
  const settings = await db.pool.query<{ tenant_id: string }>(
    'SELECT tenant_id FROM lore.tenant_settings WHERE openai_key_encrypted IS NOT NULL',
  );
  for (const { tenant_id: tenantId } of settings.rows) {
    await withTenant(db, tenantId, async (c) => {
      const res = await c.query<{ openai_key_encrypted: string | null }>(
        'SELECT openai_key_encrypted FROM lore.tenant_settings WHERE tenant_id = $1 FOR UPDATE',
        [tenantId],
      );
      const value = res.rows[0]?.openai_key_encrypted;
      if (!value) return;
      if (!cipher.needsRotation(value)) {
        report.valuesAlreadyCurrent += 1;
        return;
      }
      const resealed = reseal(value, openAiKeyContext(tenantId));
      if (!resealed) return;
      await c.query('UPDATE lore.tenant_settings SET openai_key_encrypted = $2 WHERE tenant_id = $1', [
        tenantId,
        resealed,
      ]);
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
    const t = await db.pool.query<{
      is_enterprise_install: boolean;
      slack_team_id: string | null;
      slack_enterprise_id: string | null;
    }>('SELECT is_enterprise_install, slack_team_id, slack_enterprise_id FROM lore.tenants WHERE id = $1', [
      tenantId,
    ]);
    const row = t.rows[0];
    if (!row) continue;
    await deps.installations.invalidate(
      tenantId,
      keyOfTenant({
        isEnterpriseInstall: row.is_enterprise_install,
        slackTeamId: row.slack_team_id,
        slackEnterpriseId: row.slack_enterprise_id,
      }),
    );
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
