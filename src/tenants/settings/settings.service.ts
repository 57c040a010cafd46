import { appendAudit } from '../../audit/audit.repo.js';
import type { SettingsDto } from '../../contracts/settings.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import { type CipherBox, secretContext } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { getPlanLimits, planUserRateOf } from '../plans.repo.js';
import {
  clearSealedOpenAiKey,
  type EditableSettingKey,
  ensureTenantSettings,
  sealedOpenAiKeyOf,
  settingsRowOf,
  storeSealedOpenAiKey,
  tenantsWithRetentionDays,
  threadSavePolicyOf,
  updateSettingsColumns,
} from './tenant-settings.repo.js';

/** A workspace's answer settings as admins edit them. The OpenAI key itself never leaves this module. */
export type TenantSettings = WithDates<SettingsDto, 'updatedAt'>;

export type SettingsChange = Partial<Pick<TenantSettings, EditableSettingKey>>;

/** Reads a tenant's settings (creating the defaults row if an old tenant lacks one). */
export async function getTenantSettings(db: Database, tenantId: string): Promise<TenantSettings> {
  return withTenant(db, tenantId, async (c) => {
    await ensureTenantSettings(c, tenantId);
    const r = await settingsRowOf(c, tenantId);
    const limits = await getPlanLimits(c);
    // getPlanLimits applies the override; the plan's own value is what "no override" means.
    const planRate = await planUserRateOf(c, tenantId);
    return {
      channelMode: r.channelMode,
      allowedChannelIds: r.allowedChannelIds,
      answerStyle: r.answerStyle,
      instructions: r.instructions,
      userRatePerMinute: r.userRatePerMinute,
      retentionDays: r.retentionDays,
      planUserRatePerMinute: planRate ?? limits.userRatePerMinute,
      threadSavePolicy: r.threadSavePolicy,
      openAiKey: { set: r.keySet, last4: r.keyLast4 },
      updatedAt: r.updatedAt,
    };
  });
}

/** Applies a partial change and records which settings changed (instructions by length only). */
export async function updateTenantSettings(
  db: Database,
  tenantId: string,
  change: SettingsChange,
  actor: string,
): Promise<void> {
  const keys = (Object.keys(change) as (keyof SettingsChange)[]).filter((k) => change[k] !== undefined);
  if (keys.length === 0) return;
  await withTenant(db, tenantId, async (c) => {
    await updateSettingsColumns(
      c,
      tenantId,
      keys.map((k) => [k, change[k]]),
    );
    const details: Record<string, unknown> = {};
    for (const k of keys)
      details[k] = k === 'instructions' ? { length: change.instructions?.length ?? 0 } : change[k];
    await appendAudit(c, { tenantId, actor, action: 'settings.updated', details });
  });
}

/** Stores the tenant's own OpenAI key, encrypted; only its last four characters stay readable. */
export async function setTenantOpenAiKey(
  db: Database,
  cipher: CipherBox,
  tenantId: string,
  key: string,
  actor: string,
): Promise<{ last4: string }> {
  const last4 = key.slice(-4);
  await withTenant(db, tenantId, async (c) => {
    await storeSealedOpenAiKey(c, tenantId, cipher.encrypt(key, openAiKeyContext(tenantId)), last4);
    await appendAudit(c, {
      tenantId,
      actor,
      action: 'openai_key.set',
      details: { last4, keyId: cipher.activeKeyId },
    });
  });
  return { last4 };
}

/** Forgets the tenant's own OpenAI key: answers go back to the platform key (metered against the plan). */
export async function clearTenantOpenAiKey(db: Database, tenantId: string, actor: string): Promise<boolean> {
  return withTenant(db, tenantId, async (c) => {
    const cleared = await clearSealedOpenAiKey(c, tenantId);
    if (cleared) await appendAudit(c, { tenantId, actor, action: 'openai_key.removed' });
    return cleared;
  });
}

/** The tenant's own OpenAI key in plaintext, for that tenant's answers only; null when none is set. */
export async function readTenantOpenAiKey(
  db: Database,
  cipher: CipherBox,
  tenantId: string,
): Promise<string | null> {
  const encrypted = await withTenant(db, tenantId, (c) => sealedOpenAiKeyOf(c, tenantId));
  return encrypted ? cipher.decrypt(encrypted, openAiKeyContext(tenantId)) : null;
}

/** Where a tenant's own OpenAI key is stored: its ciphertext is bound to it (see secretContext). */
export const openAiKeyContext = (tenantId: string) =>
  secretContext('tenant_settings', 'openai_key_encrypted', tenantId);

/** Who may save a Slack thread to Lore in this workspace (default every member). */
export async function getThreadSavePolicy(db: Database, tenantId: string): Promise<'everyone' | 'admins'> {
  return withTenant(db, tenantId, async (c) => (await threadSavePolicyOf(c, tenantId)) ?? 'everyone');
}

/** Active workspaces that keep questions and answers for a limited time, with how many days (owner role). */
export async function tenantsWithRetention(db: Database): Promise<Array<{ tenantId: string; days: number }>> {
  return tenantsWithRetentionDays(db.pool);
}
