import { appendAudit } from '../../audit/audit.repo.js';
import type { SettingsDto } from '../../contracts/settings.contract.js';
import type { WithDates } from '../../contracts/with-dates.js';
import { type CipherBox, secretContext } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { getPlanLimits } from '../plans.repo.js';
import { sealedOpenAiKeyOf } from './tenant-settings.repo.js';

/** A workspace's answer settings as admins edit them. The OpenAI key itself never leaves this module. */
export type TenantSettings = WithDates<SettingsDto, 'updatedAt'>;

export type SettingsChange = Partial<
  Pick<
    TenantSettings,
    | 'channelMode'
    | 'allowedChannelIds'
    | 'answerStyle'
    | 'instructions'
    | 'userRatePerMinute'
    | 'threadSavePolicy'
    | 'retentionDays'
  >
>;

const COLUMNS: Record<keyof SettingsChange, string> = {
  channelMode: 'channel_mode',
  allowedChannelIds: 'allowed_channel_ids',
  answerStyle: 'answer_style',
  instructions: 'instructions',
  userRatePerMinute: 'user_rate_per_minute',
  threadSavePolicy: 'thread_save_policy',
  retentionDays: 'answer_retention_days',
};

/** Reads a tenant's settings (creating the defaults row if an old tenant lacks one). */
export async function getTenantSettings(db: Database, tenantId: string): Promise<TenantSettings> {
  return withTenant(db, tenantId, async (c) => {
    await c.query(
      'INSERT INTO lore.tenant_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING',
      [tenantId],
    );
    const { rows } = await c.query(
      `SELECT channel_mode AS "channelMode", allowed_channel_ids AS "allowedChannelIds", answer_style AS "answerStyle",
              instructions, user_rate_per_minute AS "userRatePerMinute", thread_save_policy AS "threadSavePolicy",
              answer_retention_days AS "retentionDays",
              openai_key_encrypted IS NOT NULL AS "keySet",
              openai_key_last4 AS "keyLast4", updated_at AS "updatedAt"
       FROM lore.tenant_settings WHERE tenant_id = $1`,
      [tenantId],
    );
    const r = rows[0];
    const limits = await getPlanLimits(c);
    // getPlanLimits applies the override; the plan's own value is what "no override" means.
    const plan = await c.query<{ rate: number }>(
      'SELECT p.user_rate_per_minute AS rate FROM lore.plans p JOIN lore.tenants t ON t.plan_id = p.id WHERE t.id = $1',
      [tenantId],
    );
    return {
      channelMode: r.channelMode,
      allowedChannelIds: r.allowedChannelIds,
      answerStyle: r.answerStyle,
      instructions: r.instructions,
      userRatePerMinute: r.userRatePerMinute,
      retentionDays: r.retentionDays,
      planUserRatePerMinute: plan.rows[0]?.rate ?? limits.userRatePerMinute,
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
    const sets = keys.map((k, i) => `${COLUMNS[k]} = $${i + 2}`);
    await c.query(`UPDATE lore.tenant_settings SET ${sets.join(', ')} WHERE tenant_id = $1`, [
      tenantId,
      ...keys.map((k) => change[k]),
    ]);
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
    await c.query(
      `INSERT INTO lore.tenant_settings (tenant_id, openai_key_encrypted, openai_key_last4) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET openai_key_encrypted = $2, openai_key_last4 = $3`,
      [tenantId, cipher.encrypt(key, openAiKeyContext(tenantId)), last4],
    );
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
    const { rowCount } = await c.query(
      `UPDATE lore.tenant_settings SET openai_key_encrypted = NULL, openai_key_last4 = NULL
       WHERE tenant_id = $1 AND openai_key_encrypted IS NOT NULL`,
      [tenantId],
    );
    if (rowCount) await appendAudit(c, { tenantId, actor, action: 'openai_key.removed' });
    return Boolean(rowCount);
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
  return withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<{ policy: 'everyone' | 'admins' }>(
      'SELECT thread_save_policy AS policy FROM lore.tenant_settings WHERE tenant_id = $1',
      [tenantId],
    );
    return rows[0]?.policy ?? 'everyone';
  });
}

/** Active workspaces that keep questions and answers for a limited time, with how many days (owner role). */
export async function tenantsWithRetention(db: Database): Promise<Array<{ tenantId: string; days: number }>> {
  const { rows } = await db.pool.query<{ tenantId: string; days: number }>(
    `SELECT s.tenant_id AS "tenantId", s.answer_retention_days AS days
     FROM lore.tenant_settings s JOIN lore.tenants t ON t.id = s.tenant_id
     WHERE s.answer_retention_days IS NOT NULL AND t.status = 'active'`,
  );
  return rows;
}
