import type { Queryable } from '../../infra/db/migrate.js';
import { TOKEN_COLUMNS } from './installation-record.js';

/** Whether a ciphertext column holds a value not written bound (`…:b`) with the active key. */
const stale = (column: string) =>
  `(${column} IS NOT NULL AND NOT (starts_with(${column}, $1 || ':') AND right(${column}, 2) = ':b'))`;

/**
 * How many stored secret values (installation tokens, tenants' OpenAI keys) still need rewriting: written before
 * AES-GCM binding, or with a key other than `activeKeyId`. Read as the owner, across tenants; the rewriting
 * itself is rotateEncryptionKeys' (row by row, under a lock). A cheap check, so every worker can ask at start.
 */
export async function countStaleSecrets(q: Queryable, activeKeyId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT (SELECT coalesce(sum(${TOKEN_COLUMNS.map((c) => `${stale(c)}::int`).join(' + ')}), 0)
             FROM lore.installations)::int
          + (SELECT count(*) FROM lore.tenant_settings WHERE ${stale('openai_key_encrypted')})::int AS n`,
    [activeKeyId],
  );
  return rows[0]?.n ?? 0;
}
