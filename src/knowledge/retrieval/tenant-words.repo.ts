import type { Queryable } from '../../infra/db/migrate.js';

/** Most words read per typo: a tenant's words of one first letter and about one length, most used first. */
const MAX_CANDIDATES = 2_000;

/**
 * The tenant's words (lore.tenant_words, kept by a trigger on lore.chunks) that could be what a typed word
 * meant: the same first letter, a length within `maxEdits` of it, each with how many chunks hold it. A range
 * of the primary key (tenant, word), so a large vocabulary is not read whole.
 */
export async function tenantWordsNear(
  c: Queryable,
  p: { tenantId: string; word: string; maxEdits: number },
): Promise<Map<string, number>> {
  const first = p.word[0] as string;
  const { rows } = await c.query<{ word: string; chunks: number }>(
    `SELECT word, chunks FROM lore.tenant_words
     WHERE tenant_id = $1 AND word >= $2 AND word < $3 AND length(word) BETWEEN $4 AND $5
     ORDER BY chunks DESC LIMIT $6`,
    [
      p.tenantId,
      first,
      String.fromCharCode(first.charCodeAt(0) + 1),
      p.word.length - p.maxEdits,
      p.word.length + p.maxEdits,
      MAX_CANDIDATES,
    ],
  );
  return new Map(rows.map((r) => [r.word, r.chunks]));
}
