import type { DbClient } from '../infra/db/database.js';

/** `lore.knowledge_gaps`: the owning repository. */

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
 * The gap inbox of the current tenant (inside withTenant): one entry per distinct question (same words, any
 * case) with a status, newest first, with how often it was asked and the latest 👎 reason when someone gave one.
 */
export async function listGapInbox(
  c: DbClient,
  q: { status: GapStatus; limit: number; offset: number },
): Promise<{ items: KnowledgeGap[]; total: number }> {
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
}

/**
 * Gives a gap and every other gap of the same question in the same status a new status (resolved: with the
 * document named, if any). Returns how many gaps changed: 0 when there is no such gap.
 */
export async function setGapStatusForQuestion(
  c: DbClient,
  p: { id: string; status: GapStatus; documentId: string | null },
): Promise<number> {
  const { rowCount } = await c.query(
    `UPDATE lore.knowledge_gaps SET status = $2,
       resolved_document_id = CASE WHEN $2 = 'resolved' THEN $3::uuid ELSE NULL END,
       resolved_at = CASE WHEN $2 = 'open' THEN NULL ELSE now() END
     WHERE (lower(btrim(question)), status) = (SELECT lower(btrim(question)), status FROM lore.knowledge_gaps WHERE id = $1)`,
    [p.id, p.status, p.documentId],
  );
  return rowCount ?? 0;
}

/** Opens a `no_sources` gap for an answer that found nothing (once per answer; inside withTenant). */
export async function openNoSourcesGap(
  c: DbClient,
  g: { tenantId: string; answerId: string; question: string },
): Promise<void> {
  await c.query(
    `INSERT INTO lore.knowledge_gaps (tenant_id, answer_id, question, reason) VALUES ($1, $2, $3, 'no_sources')
     ON CONFLICT (answer_id, reason) DO NOTHING`,
    [g.tenantId, g.answerId, g.question.slice(0, 4000)],
  );
}

/** Opens a `downvoted` gap with the answer's question (once per answer; inside withTenant). */
export async function openDownvotedGap(c: DbClient, answerId: string): Promise<void> {
  await c.query(
    `INSERT INTO lore.knowledge_gaps (tenant_id, answer_id, question, reason)
     SELECT tenant_id, id, question, 'downvoted' FROM lore.answers WHERE id = $1
     ON CONFLICT (answer_id, reason) DO NOTHING`,
    [answerId],
  );
}

/** Closes an answer's open `downvoted` gap again once no 👎 is left on it (inside withTenant). */
export async function closeDownvotedGapIfNoDownvote(c: DbClient, answerId: string): Promise<void> {
  await c.query(
    `DELETE FROM lore.knowledge_gaps g
     WHERE g.answer_id = $1 AND g.reason = 'downvoted' AND g.status = 'open'
       AND NOT EXISTS (SELECT 1 FROM lore.answer_feedback f WHERE f.answer_id = $1 AND f.vote = -1)`,
    [answerId],
  );
}

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
