import type { Queryable } from '../../infra/db/migrate.js';

/** Most words read per typo: a tenant's words of one first letter and about one length, most used first. */
const MAX_CANDIDATES = 2_000;

/**
 * The tenant's words (lore.tenant_words, kept by a trigger on lore.chunks) that could be what each typed word
 * meant: the same first letter, a length within its `maxEdits`, each with how many chunks hold it. One query
 * for every typed word; for each, a range of the primary key (tenant, word), so a large vocabulary is not read
 * whole.
 */
export async function tenantWordsNear(
  c: Queryable,
  p: { tenantId: string; typed: ReadonlyArray<{ word: string; maxEdits: number }> },
): Promise<Map<string, Map<string, number>>> {
  const { rows } = await c.query<{ typed: string; word: string; chunks: number }>(
    `SELECT q.typed, w.word, w.chunks
     FROM unnest($2::text[], $3::int[]) AS q(typed, max_edits)
     CROSS JOIN LATERAL (
       SELECT t.word, t.chunks FROM lore.tenant_words t
       WHERE t.tenant_id = $1 AND t.word >= left(q.typed, 1) AND t.word < chr(ascii(q.typed) + 1)
         AND length(t.word) BETWEEN length(q.typed) - q.max_edits AND length(q.typed) + q.max_edits
       ORDER BY t.chunks DESC LIMIT $4
     ) w`,
    [p.tenantId, p.typed.map((t) => t.word), p.typed.map((t) => t.maxEdits), MAX_CANDIDATES],
  );
  const near = new Map(p.typed.map((t) => [t.word, new Map<string, number>()]));
  for (const r of rows) near.get(r.typed)?.set(r.word, r.chunks);
  return near;
}
