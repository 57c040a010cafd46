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
}

/** The gap inbox: gaps with a status, newest first, with the 👎 reason when someone gave one. */
export async function listKnowledgeGaps(
  db: Database,
  tenantId: string,
  q: { status: GapStatus; limit: number; offset: number },
): Promise<{ items: KnowledgeGap[]; total: number }> {
  return withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<KnowledgeGap>(
      `SELECT g.id, g.question, g.reason, g.status, g.answer_id AS "answerId", g.created_at AS "createdAt",
              g.resolved_at AS "resolvedAt",
              (SELECT v.reason FROM lore.answer_feedback v WHERE v.answer_id = g.answer_id AND v.vote = -1
                 AND v.reason IS NOT NULL AND v.reason <> '' ORDER BY v.updated_at DESC LIMIT 1) AS "feedbackReason",
              CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'title', d.title) END AS "resolvedDocument"
       FROM lore.knowledge_gaps g LEFT JOIN lore.documents d ON d.id = g.resolved_document_id
       WHERE g.status = $1
       ORDER BY g.created_at DESC, g.id LIMIT $2 OFFSET $3`,
      [q.status, q.limit, q.offset],
    );
    const count = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.knowledge_gaps WHERE status = $1', [
      q.status,
    ]);
    return { items: rows, total: count.rows[0]?.n ?? 0 };
  });
}

/** Resolves (optionally naming the document that now covers it), dismisses or re-opens a gap. */
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
       WHERE id = $1`,
      [p.id, p.status, p.documentId ?? null],
    );
    if (!rowCount) throw notFound('Knowledge gap');
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: `knowledge_gap.${p.status === 'open' ? 'reopened' : p.status}`,
      target: p.id,
      details: p.documentId ? { documentId: p.documentId } : {},
    });
  });
}
