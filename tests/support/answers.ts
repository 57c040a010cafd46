import type { Database } from '../../src/infra/db/database.js';

/** An answered question as the answer pipeline records it (owner role: test setup only). */
export interface AnswerFixture {
  question: string;
  answer?: string;
  outcome?: 'answered' | 'extractive' | 'no_sources' | 'failed';
  userId?: string;
  channelId?: string;
  at: Date;
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  latencyMs?: number;
  votes?: Array<{ userId: string; vote: 1 | -1; reason?: string }>;
  citations?: Array<{ documentId?: string | null; title: string; section?: string; score: number }>;
  gap?: 'no_sources' | 'downvoted';
}

/** Inserts an answer with its usage event, citations, votes and knowledge gap; returns its id. */
export async function insertAnswer(db: Database, tenantId: string, a: AnswerFixture): Promise<string> {
  const q = db.pool;
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO lore.answers (tenant_id, idempotency_key, slack_user_id, slack_channel_id, question, answer_text, outcome,
       model, key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, created_at, completed_at)
     VALUES ($1, gen_random_uuid()::text, $2, $3, $4, $5, $6, 'gpt-4o-mini', 'platform', $7, $8, $9, $10, $11, $11)
     RETURNING id`,
    [
      tenantId,
      a.userId ?? 'U1',
      a.channelId ?? 'C1',
      a.question,
      a.answer ?? null,
      a.outcome ?? 'answered',
      a.promptTokens ?? 0,
      a.completionTokens ?? 0,
      a.costUsd ?? 0,
      a.latencyMs ?? null,
      a.at,
    ],
  );
  const id = rows[0]?.id ?? '';
  await q.query(
    `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, answer_id, slack_channel_id, slack_user_id, model,
       key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, outcome, created_at)
     VALUES ($1, 'answer', $2::text, $2::uuid, $3, $4, 'gpt-4o-mini', 'platform', $5, $6, $7, $8, $9, $10)`,
    [
      tenantId,
      id,
      a.channelId ?? 'C1',
      a.userId ?? 'U1',
      a.promptTokens ?? 0,
      a.completionTokens ?? 0,
      a.costUsd ?? 0,
      a.latencyMs ?? null,
      a.outcome ?? 'answered',
      a.at,
    ],
  );
  for (const [i, c] of (a.citations ?? []).entries()) {
    await q.query(
      `INSERT INTO lore.answer_citations (answer_id, tenant_id, position, document_id, title, section, score)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, tenantId, i + 1, c.documentId ?? null, c.title, c.section ?? '', c.score],
    );
  }
  for (const v of a.votes ?? []) {
    await q.query(
      `INSERT INTO lore.answer_feedback (answer_id, tenant_id, slack_user_id, vote, reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, tenantId, v.userId, v.vote, v.reason ?? null, a.at],
    );
  }
  if (a.gap) {
    await q.query(
      'INSERT INTO lore.knowledge_gaps (tenant_id, answer_id, question, reason, created_at) VALUES ($1, $2, $3, $4, $5)',
      [tenantId, id, a.question, a.gap, a.at],
    );
  }
  return id;
}
