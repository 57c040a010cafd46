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

/** Inserts a back-dated knowledge gap (the demo workspace). */
export async function insertBackdatedGap(
  c: DbClient,
  g: {
    tenantId: string;
    answerId: string | undefined;
    question: string;
    reason: 'no_sources' | 'downvoted';
    at: Date;
  },
): Promise<void> {
  await c.query(
    'INSERT INTO lore.knowledge_gaps (tenant_id, answer_id, question, reason, created_at) VALUES ($1, $2, $3, $4, $5)',
    [g.tenantId, g.answerId, g.question, g.reason, g.at],
  );
}
