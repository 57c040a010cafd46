import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';

export type GapStatus = 'open' | 'resolved' | 'dismissed';

/** A question the knowledge base could not answer well (no sources found, or voted 👎). */
export interface KnowledgeGap {
  id: string;
  question: string;
  reason: 'no_sources' | 'downvoted';
  status: GapStatus;
  answerId: string | null;
  feedbackReason: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedDocument: { id: string; title: string } | null;
  /** How many times this question (same words, any case) landed here with this status. */
  count: number;
}

/**
 * The gap inbox: one entry per distinct question (same words, any case) with a status, newest first, with
 * how often it was asked and the latest 👎 reason when someone gave one.
 */
export async function listKnowledgeGaps(
  db: Database,
  tenantId: string,
  q: { status: GapStatus; limit: number; offset: number },
): Promise<{ items: KnowledgeGap[]; total: number }> {
  return withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<KnowledgeGap>(
      `WITH g AS (SELECT *, lower(btrim(question)) AS qkey FROM lore.knowledge_gaps WHERE status = $1),
            latest AS (SELECT DISTINCT ON (qkey) * FROM g ORDER BY qkey, created_at DESC, id)
       SELECT l.id, l.question, l.reason, l.status, l.answer_id AS "answerId", l.created_at AS "createdAt",
              l.resolved_at AS "resolvedAt",
              (SELECT count(*) FROM g WHERE g.qkey = l.qkey)::int AS count,
              (SELECT v.reason FROM lore.answer_feedback v JOIN g ON g.answer_id = v.answer_id
               WHERE g.qkey = l.qkey AND v.vote = -1 AND v.reason IS NOT NULL AND v.reason <> ''
               ORDER BY v.updated_at DESC LIMIT 1) AS "feedbackReason",
              CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'title', d.title) END AS "resolvedDocument"
       FROM latest l LEFT JOIN lore.documents d ON d.id = l.resolved_document_id
       ORDER BY l.created_at DESC, l.id LIMIT $2 OFFSET $3`,
      [q.status, q.limit, q.offset],
    );
    const count = await c.query<{ n: number }>(
      'SELECT count(DISTINCT lower(btrim(question)))::int AS n FROM lore.knowledge_gaps WHERE status = $1',
      [q.status],
    );
    return { items: rows, total: count.rows[0]?.n ?? 0 };
  });
}

/**
 * Resolves (optionally naming the document that now covers it), dismisses or re-opens a gap, together with
 * every other gap of the same question in the same status (the inbox shows them as one).
 */
export async function updateKnowledgeGap(
  db: Database,
  tenantId: string,
  p: { id: string; status: GapStatus; documentId?: string | null; actor: string },
): Promise<void> {
  await withTenant(db, tenantId, async (c) => {
    if (p.documentId) {
      const doc = await c.query('SELECT 1 FROM lore.documents WHERE id = $1', [p.documentId]);
      if (doc.rowCount === 0) throw notFound('Document');
    }
    const { rowCount } = await c.query(
      `UPDATE lore.knowledge_gaps SET status = $2,
         resolved_document_id = CASE WHEN $2 = 'resolved' THEN $3::uuid ELSE NULL END,
         resolved_at = CASE WHEN $2 = 'open' THEN NULL ELSE now() END
       WHERE (lower(btrim(question)), status) = (SELECT lower(btrim(question)), status FROM lore.knowledge_gaps WHERE id = $1)`,
      [p.id, p.status, p.documentId ?? null],
    );
    if (!rowCount) throw notFound('Knowledge gap');
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: `knowledge_gap.${p.status === 'open' ? 'reopened' : p.status}`,
      target: p.id,
      details: { gaps: rowCount, ...(p.documentId ? { documentId: p.documentId } : {}) },
    });
  });
}
