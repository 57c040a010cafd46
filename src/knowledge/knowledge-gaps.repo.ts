import type { DbClient } from '../infra/db/database.js';

/**
 * `lore.knowledge_gaps`: the owning repository (its reads still sit in knowledge-gaps.service.ts, on the
 * architecture test's allow-list, until they move here).
 */

/** Deletes every knowledge gap of the current tenant (inside withTenant). Returns how many. */
export async function deleteAllKnowledgeGaps(c: DbClient): Promise<number> {
  const { rowCount } = await c.query('DELETE FROM lore.knowledge_gaps');
  return rowCount ?? 0;
}
