import type { Queryable } from '../../infra/db/migrate.js';

/**
 * `lore.tenant_settings`: the owning repository (moving here from settings.service.ts piece by piece; the
 * architecture test's allow-list says which files still hold SQL).
 */

/** The tenant's own OpenAI key, still encrypted; null when none is set (call inside withTenant). */
export async function sealedOpenAiKeyOf(q: Queryable, tenantId: string): Promise<string | null> {
  const { rows } = await q.query<{ v: string | null }>(
    'SELECT openai_key_encrypted AS v FROM lore.tenant_settings WHERE tenant_id = $1',
    [tenantId],
  );
  return rows[0]?.v ?? null;
}
