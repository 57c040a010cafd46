import type { SettingsDto } from '../../contracts/settings.contract.js';
import type { Queryable } from '../../infra/db/migrate.js';

/** `lore.tenant_settings`: the owning repository. One row per tenant; the rules are settings.service.ts's. */

/** The tenant's own OpenAI key, still encrypted; null when none is set (call inside withTenant). */
export async function sealedOpenAiKeyOf(q: Queryable, tenantId: string): Promise<string | null> {
  const { rows } = await q.query<{ v: string | null }>(
    'SELECT openai_key_encrypted AS v FROM lore.tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0]?.v ?? null;
}
/** Creates the tenant's settings row with defaults unless it exists (settings survive re-installs). */
export async function ensureTenantSettings(q: Queryable, tenantId: string): Promise<void> {
  await q.query(
    'INSERT INTO lore.tenant_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING',
    [tenantId],
  );
}

/** The settings an admin edits (the rest of SettingsDto is derived or secret). */
export type EditableSettingKey =
  | 'channelMode'
  | 'allowedChannelIds'
  | 'answerStyle'
  | 'instructions'
  | 'userRatePerMinute'
  | 'threadSavePolicy'
  | 'retentionDays';

/** The settings row as stored (the OpenAI key only as whether it is set and its last four characters). */
export interface SettingsRow extends Pick<SettingsDto, EditableSettingKey> {
  keySet: boolean;
  keyLast4: string | null;
  updatedAt: Date;
}

/** The tenant's settings row (call inside withTenant, after ensureTenantSettings). */
export async function settingsRowOf(q: Queryable, tenantId: string): Promise<SettingsRow> {
  const { rows } = await q.query<SettingsRow>(
    `SELECT channel_mode AS "channelMode", allowed_channel_ids AS "allowedChannelIds", answer_style AS "answerStyle",
              instructions, user_rate_per_minute AS "userRatePerMinute", thread_save_policy AS "threadSavePolicy",
              answer_retention_days AS "retentionDays",
              openai_key_encrypted IS NOT NULL AS "keySet",
              openai_key_last4 AS "keyLast4", updated_at AS "updatedAt"
       FROM lore.tenant_settings WHERE tenant_id = $1`,
    [tenantId],
  );
  // ensureTenantSettings ran first in the same transaction, so the row is there.
  return rows[0] as SettingsRow;
}

/** The settings an admin may change, and their columns. */
export const SETTINGS_COLUMNS = {
  channelMode: 'channel_mode',
  allowedChannelIds: 'allowed_channel_ids',
  answerStyle: 'answer_style',
  instructions: 'instructions',
  userRatePerMinute: 'user_rate_per_minute',
  threadSavePolicy: 'thread_save_policy',
  retentionDays: 'answer_retention_days',
} as const;

/** Writes the given settings (keys of SETTINGS_COLUMNS, values as stored) in one statement. */
export async function updateSettingsColumns(
  q: Queryable,
  tenantId: string,
  values: ReadonlyArray<[keyof typeof SETTINGS_COLUMNS, unknown]>,
): Promise<void> {
  const sets = values.map(([k], i) => `${SETTINGS_COLUMNS[k]} = $${i + 2}`);
  await q.query(`UPDATE lore.tenant_settings SET ${sets.join(', ')} WHERE tenant_id = $1`, [
    tenantId,
    ...values.map(([, v]) => v),
  ]);
}

/** Stores the tenant's sealed OpenAI key and its last four characters (creating the row if needed). */
export async function storeSealedOpenAiKey(
  q: Queryable,
  tenantId: string,
  sealed: string,
  last4: string,
): Promise<void> {
  await q.query(
    `INSERT INTO lore.tenant_settings (tenant_id, openai_key_encrypted, openai_key_last4) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET openai_key_encrypted = $2, openai_key_last4 = $3`,
    [tenantId, sealed, last4],
  );
}

/** Removes the tenant's OpenAI key; false when none was set. */
export async function clearSealedOpenAiKey(q: Queryable, tenantId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE lore.tenant_settings SET openai_key_encrypted = NULL, openai_key_last4 = NULL
       WHERE tenant_id = $1 AND openai_key_encrypted IS NOT NULL`,
    [tenantId],
  );
  return Boolean(rowCount);
}

/** Who may save a Slack thread; undefined when the tenant has no settings row (call inside withTenant). */
export async function threadSavePolicyOf(
  q: Queryable,
  tenantId: string,
): Promise<'everyone' | 'admins' | undefined> {
  const { rows } = await q.query<{ policy: 'everyone' | 'admins' }>(
    'SELECT thread_save_policy AS policy FROM lore.tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0]?.policy;
}

/** Active tenants with a retention period, and its days (owner role: across tenants). */
export async function tenantsWithRetentionDays(
  q: Queryable,
): Promise<Array<{ tenantId: string; days: number }>> {
  const { rows } = await q.query<{ tenantId: string; days: number }>(
    `SELECT s.tenant_id AS "tenantId", s.answer_retention_days AS days
     FROM lore.tenant_settings s JOIN lore.tenants t ON t.id = s.tenant_id
     WHERE s.answer_retention_days IS NOT NULL AND t.status = 'active'`,
  );
  return rows;
}

/** Tenants that have their own OpenAI key set (owner role: across tenants). */
export async function tenantIdsWithOpenAiKey(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    'SELECT tenant_id FROM lore.tenant_settings WHERE openai_key_encrypted IS NOT NULL',
  );
  return rows.map((r) => r.tenant_id);
}

/** The tenant's sealed OpenAI key, its row locked until commit; null or undefined when none (inside withTenant). */
export async function lockSealedOpenAiKey(
  q: Queryable,
  tenantId: string,
): Promise<string | null | undefined> {
  const { rows } = await q.query<{ openai_key_encrypted: string | null }>(
    'SELECT openai_key_encrypted FROM lore.tenant_settings WHERE tenant_id = $1 FOR UPDATE',
    [tenantId],
  );
  return rows[0]?.openai_key_encrypted;
}

/** Replaces the sealed OpenAI key with the same key sealed again (key rotation; last four unchanged). */
export async function replaceSealedOpenAiKey(q: Queryable, tenantId: string, sealed: string): Promise<void> {
  await q.query('UPDATE lore.tenant_settings SET openai_key_encrypted = $2 WHERE tenant_id = $1', [
    tenantId,
    sealed,
  ]);
}
