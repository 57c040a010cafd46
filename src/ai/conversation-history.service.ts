import type { ConversationDto } from '../contracts/conversations.contract.js';
import type { WithDates } from '../contracts/with-dates.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';

/** One question and its answer as the dashboard lists it, with sources and votes. */
export type ConversationEntry = WithDates<ConversationDto, 'createdAt'>;

export interface ConversationFilter {
  search?: string;
  outcome?: string;
  feedback?: 'up' | 'down';
  limit: number;
  offset: number;
}

/** Recent questions and answers of a tenant, newest first, searchable by question and answer text. */
export async function listConversations(
  db: Database,
  tenantId: string,
  f: ConversationFilter,
): Promise<{ items: ConversationEntry[]; total: number }> {
  return withTenant(db, tenantId, async (c) => {
    const where = `($1::text IS NULL OR a.question ILIKE '%' || $1 || '%' OR a.answer_text ILIKE '%' || $1 || '%')
      AND ($2::text IS NULL OR a.outcome = $2)
      AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM lore.answer_feedback v WHERE v.answer_id = a.id AND v.vote = $3))
      AND a.outcome <> 'pending'`;
    const vote = f.feedback === 'up' ? 1 : f.feedback === 'down' ? -1 : null;
    const params = [f.search?.trim() || null, f.outcome ?? null, vote];
    const { rows } = await c.query<ConversationEntry>(
      `SELECT a.id, a.created_at AS "createdAt", a.slack_user_id AS "slackUserId", a.slack_channel_id AS "slackChannelId",
              cv.surface, a.question, a.answer_text AS "answerText", a.outcome, a.latency_ms AS "latencyMs",
              (a.prompt_tokens + a.completion_tokens) AS "totalTokens",
              coalesce((SELECT json_agg(json_build_object('position', ci.position, 'documentId', ci.document_id,
                          'title', ci.title, 'section', ci.section, 'score', ci.score) ORDER BY ci.position)
                        FROM lore.answer_citations ci WHERE ci.answer_id = a.id), '[]'::json) AS sources,
              (SELECT count(*) FROM lore.answer_feedback v WHERE v.answer_id = a.id AND v.vote = 1)::int AS "thumbsUp",
              (SELECT count(*) FROM lore.answer_feedback v WHERE v.answer_id = a.id AND v.vote = -1)::int AS "thumbsDown",
              coalesce((SELECT array_agg(v.reason ORDER BY v.updated_at DESC) FROM lore.answer_feedback v
                        WHERE v.answer_id = a.id AND v.reason IS NOT NULL AND v.reason <> ''), '{}') AS "feedbackReasons"
       FROM lore.answers a LEFT JOIN lore.conversations cv ON cv.id = a.conversation_id
       WHERE ${where}
       ORDER BY a.created_at DESC, a.id LIMIT $4 OFFSET $5`,
      [...params, f.limit, f.offset],
    );
    const count = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lore.answers a WHERE ${where}`,
      params,
    );
    return { items: rows, total: count.rows[0]?.n ?? 0 };
  });
}
