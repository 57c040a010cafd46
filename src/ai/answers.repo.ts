import type { ConversationDto } from '../contracts/conversations.contract.js';
import type { WithDates } from '../contracts/with-dates.js';
import type { DbClient } from '../infra/db/database.js';
import { openNoSourcesGap } from '../knowledge/knowledge-gaps.repo.js';
import type { AnswerOutcome, AnswerResult, AnswerSource } from './answer.types.js';
import { citationUrl } from './citation-url.js';

export type Surface = 'mention' | 'dm' | 'thread' | 'ask' | 'assistant' | 'playground' | 'api';

/** An answer row as a (possibly retried) job sees it. */
export interface AnswerRow {
  id: string;
  outcome: AnswerOutcome | 'pending' | 'failed' | 'rate_limited' | 'over_quota';
  postedChannelId: string | null;
  postedTs: string | null;
}

/**
 * Claims the answer for one question (keyed by the Slack event id): the first call creates it, a retried
 * job gets the same row back and can see whether it was already posted or finished.
 */
export async function claimAnswer(
  c: DbClient,
  p: {
    tenantId: string;
    idempotencyKey: string;
    surface: Surface;
    channelId: string;
    threadTs: string;
    userId: string;
    question: string;
  },
): Promise<AnswerRow> {
  const conv = await c.query<{ id: string }>(
    `WITH found AS (
       SELECT id FROM lore.conversations WHERE slack_channel_id = $2 AND slack_thread_ts = $3 AND $3 <> '' LIMIT 1),
     made AS (
       INSERT INTO lore.conversations (tenant_id, surface, slack_channel_id, slack_thread_ts, slack_user_id)
       SELECT $1, $4, $2, $3, $5 WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
     SELECT id FROM found UNION ALL SELECT id FROM made`,
    [p.tenantId, p.channelId, p.threadTs, p.surface, p.userId],
  );
  const { rows } = await c.query<AnswerRow>(
    `INSERT INTO lore.answers (tenant_id, conversation_id, idempotency_key, slack_user_id, slack_channel_id, question)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
     RETURNING id, outcome, posted_channel_id AS "postedChannelId", posted_ts AS "postedTs"`,
    [
      p.tenantId,
      conv.rows[0]?.id ?? null,
      p.idempotencyKey,
      p.userId,
      p.channelId,
      p.question.slice(0, 4000),
    ],
  );
  return rows[0] as AnswerRow;
}

/** Remembers where the reply was posted, so a retry edits that message instead of posting another. */
export async function recordPosted(
  c: DbClient,
  answerId: string,
  channelId: string,
  ts: string,
): Promise<void> {
  await c.query('UPDATE lore.answers SET posted_channel_id = $2, posted_ts = $3 WHERE id = $1', [
    answerId,
    channelId,
    ts,
  ]);
}

/** Finishes an answer: text, outcome, usage, latency, its sources, and a knowledge gap when unanswered. */
export async function completeAnswer(
  c: DbClient,
  p: {
    tenantId: string;
    answerId: string;
    question: string;
    outcome: AnswerRow['outcome'];
    text: string;
    sources: AnswerSource[];
    model: string | null;
    keySource: 'platform' | 'tenant' | 'none';
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    latencyMs: number;
  },
): Promise<void> {
  await c.query(
    `UPDATE lore.answers SET answer_text = $2, outcome = $3, model = $4, key_source = $5, prompt_tokens = $6,
       completion_tokens = $7, cost_usd = $8, latency_ms = $9, completed_at = now()
     WHERE id = $1`,
    [
      p.answerId,
      p.text,
      p.outcome,
      p.model,
      p.keySource,
      p.promptTokens,
      p.completionTokens,
      p.costUsd,
      p.latencyMs,
    ],
  );
  await c.query('DELETE FROM lore.answer_citations WHERE answer_id = $1', [p.answerId]);
  for (const s of p.sources) {
    await c.query(
      `INSERT INTO lore.answer_citations (answer_id, tenant_id, position, document_id, chunk_id, title, section, score)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [p.answerId, p.tenantId, s.position, s.documentId, s.chunkId, s.title, s.section, s.score],
    );
  }
  if (p.outcome === 'no_sources')
    await openNoSourcesGap(c, { tenantId: p.tenantId, answerId: p.answerId, question: p.question });
}

/**
 * Deletes up to `batch` of the current tenant's oldest answers created more than `days` days ago (their
 * sources, feedback and knowledge gaps cascade; metered usage keeps its rows). Inside withTenant. Returns how
 * many went.
 */
export async function deleteAnswersOlderThan(c: DbClient, days: number, batch: number): Promise<number> {
  const { rowCount } = await c.query(
    `DELETE FROM lore.answers WHERE id IN (
       SELECT id FROM lore.answers WHERE created_at < now() - make_interval(days => $1)
       ORDER BY created_at LIMIT $2)`,
    [days, batch],
  );
  return rowCount ?? 0;
}

/** Deletes up to `batch` conversations older than `days` days that no answer belongs to any more (inside withTenant). */
export async function deleteEmptyConversationsOlderThan(
  c: DbClient,
  days: number,
  batch: number,
): Promise<number> {
  const { rowCount } = await c.query(
    `DELETE FROM lore.conversations WHERE id IN (
       SELECT cv.id FROM lore.conversations cv
       WHERE cv.created_at < now() - make_interval(days => $1)
         AND NOT EXISTS (SELECT 1 FROM lore.answers a WHERE a.conversation_id = cv.id)
       LIMIT $2)`,
    [days, batch],
  );
  return rowCount ?? 0;
}

/** Deletes every answer of the current tenant (inside withTenant; sources and feedback cascade). Returns how many. */
export async function deleteAllAnswers(c: DbClient): Promise<number> {
  const { rowCount } = await c.query('DELETE FROM lore.answers');
  return rowCount ?? 0;
}

/** Deletes every conversation of the current tenant (inside withTenant). */
export async function deleteAllConversations(c: DbClient): Promise<void> {
  await c.query('DELETE FROM lore.conversations');
}

/** The current tenant's questions since a moment, by outcome, and when it last answered at all. */
export interface AnswerCountsSince {
  questions: number;
  answered: number;
  unanswered: number;
  lastAnswerAt: Date | null;
}

/** Answer counts since `since` (inside withTenant). */
export async function answerCountsSince(c: DbClient, since: Date): Promise<AnswerCountsSince | undefined> {
  const { rows } = await c.query<AnswerCountsSince>(
    `SELECT count(*)::int AS questions,
              count(*) FILTER (WHERE outcome IN ('answered', 'extractive'))::int AS answered,
              count(*) FILTER (WHERE outcome = 'no_sources')::int AS unanswered,
              (SELECT max(created_at) FROM lore.answers) AS "lastAnswerAt"
       FROM lore.answers WHERE created_at >= $1 AND outcome <> 'small_talk'`,
    [since],
  );
  return rows[0];
}

/** How many tenants asked questions on each of the last 30 UTC days, oldest first (owner role: across tenants). */
export async function activeTenantsByDay(c: DbClient): Promise<{ day: string; tenants: number }[]> {
  const { rows } = await c.query<{ day: string; tenants: number }>(
    `SELECT to_char(d::date, 'YYYY-MM-DD') AS day,
              (SELECT count(DISTINCT tenant_id) FROM lore.answers
               WHERE created_at >= d AND created_at < d + interval '1 day')::int AS tenants
       FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date, interval '1 day') d
       ORDER BY d`,
  );
  return rows;
}

/** A finished answer back-dated for the demo workspace's charts (demo-activity.ts makes the values up). */
export interface BackdatedAnswer {
  tenantId: string;
  idempotencyKey: string;
  slackUserId: string;
  slackChannelId: string;
  question: string;
  answerText: string;
  outcome: 'answered' | 'no_sources';
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  latencyMs: number;
  at: Date;
}

/** Inserts a back-dated, completed answer (gpt-4o-mini on the platform key); returns its id. */
export async function insertBackdatedAnswer(c: DbClient, a: BackdatedAnswer): Promise<string | undefined> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO lore.answers (tenant_id, idempotency_key, slack_user_id, slack_channel_id, question, answer_text, outcome, model,
       key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'gpt-4o-mini', 'platform', $8, $9, $10, $11, $12, $12) RETURNING id`,
    [
      a.tenantId,
      a.idempotencyKey,
      a.slackUserId,
      a.slackChannelId,
      a.question,
      a.answerText,
      a.outcome,
      a.promptTokens,
      a.completionTokens,
      a.costUsd,
      a.latencyMs,
      a.at,
    ],
  );
  return rows[0]?.id;
}

/** Inserts an answer's first citation (the demo workspace's back-dated answers). */
export async function insertFirstCitation(
  c: DbClient,
  answerId: string | undefined,
  tenantId: string,
  cite: { documentId: string; title: string; section: string; score: number },
): Promise<void> {
  await c.query(
    `INSERT INTO lore.answer_citations (answer_id, tenant_id, position, document_id, title, section, score)
       VALUES ($1, $2, 1, $3, $4, $5, $6)`,
    [answerId, tenantId, cite.documentId, cite.title, cite.section, cite.score],
  );
}

/** Whether any answer of the current tenant has an idempotency key starting with `prefix` (inside withTenant). */
export async function hasAnswerWithKeyPrefix(c: DbClient, prefix: string): Promise<boolean> {
  const { rowCount } = await c.query('SELECT 1 FROM lore.answers WHERE idempotency_key LIKE $1 LIMIT 1', [
    `${prefix}%`,
  ]);
  return Boolean(rowCount);
}

/** One question and its answer as the dashboard lists it, with sources and votes. */
export type ConversationEntry = WithDates<ConversationDto, 'createdAt'>;

export interface ConversationFilter {
  search?: string;
  outcome?: string;
  feedback?: 'up' | 'down';
  limit: number;
  offset: number;
}

/** A page of the current tenant's finished answers (RLS), newest first, with sources, votes and the total. */
export async function queryAnswerHistory(
  c: DbClient,
  f: ConversationFilter,
): Promise<{ items: ConversationEntry[]; total: number }> {
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
}

// Lookups for Slack's buttons and thread replies.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed answer id (button values come from Slack and are checked before any query). */
export const isAnswerId = (value: string) => UUID.test(value);

/** Whether Lore already has a conversation in this channel thread (call inside withTenant). */
export async function hasThreadConversation(
  c: DbClient,
  channelId: string,
  threadTs: string,
): Promise<boolean> {
  const { rows } = await c.query(
    `SELECT 1 FROM lore.conversations
     WHERE tenant_id = lore.current_tenant_id() AND slack_channel_id = $1 AND slack_thread_ts = $2 LIMIT 1`,
    [channelId, threadTs],
  );
  return rows.length > 0;
}

/** A finished answer as it was shown, for re-posting it (Share in channel). */
export interface AnswerView extends Pick<AnswerResult, 'outcome' | 'text' | 'sources'> {
  id: string;
  question: string;
  userId: string;
}

/** Loads a finished answer of the current tenant with its sources; null when missing or unfinished. */
export async function loadAnswerView(
  c: DbClient,
  answerId: string,
  publicUrl: string,
): Promise<AnswerView | null> {
  if (!isAnswerId(answerId)) return null;
  const { rows } = await c.query<{ question: string; text: string | null; outcome: string; userId: string }>(
    `SELECT question, answer_text AS text, outcome, slack_user_id AS "userId" FROM lore.answers WHERE id = $1`,
    [answerId],
  );
  const a = rows[0];
  if (!a?.text || !['answered', 'extractive', 'no_sources'].includes(a.outcome)) return null;
  const cited = await c.query<AnswerSource & { ordinal: number | null; sourceUrl: string | null }>(
    `SELECT ac.position, ac.document_id AS "documentId", ac.chunk_id::text AS "chunkId", ac.title, ac.section,
            ch.page_start AS "pageStart", ac.score, ch.ordinal, left(coalesce(ch.content, ''), 300) AS excerpt,
            d.source_url AS "sourceUrl"
     FROM lore.answer_citations ac LEFT JOIN lore.chunks ch ON ch.id = ac.chunk_id
     LEFT JOIN lore.documents d ON d.id = ac.document_id
     WHERE ac.answer_id = $1 ORDER BY ac.position`,
    [answerId],
  );
  const sources = cited.rows.map(({ ordinal, sourceUrl, ...s }) => ({
    ...s,
    // The same link the answer carried (citationUrl).
    url: citationUrl(publicUrl, { documentId: s.documentId ?? '', ordinal, sourceUrl }),
  }));
  return {
    id: answerId,
    question: a.question,
    userId: a.userId,
    outcome: a.outcome as AnswerView['outcome'],
    text: a.text,
    sources,
  };
}

/** One citation of an answer with its whole passage and when that document version was added. */
export interface CitedPassage {
  position: number;
  documentId: string | null;
  title: string;
  section: string;
  pageStart: number | null;
  pageEnd: number | null;
  /** The passage's place in the document (0-based); null when the passage is gone (re-indexed, deleted). */
  ordinal: number | null;
  content: string | null;
  versionAddedAt: Date | null;
  /** The web page or Slack thread the document came from, if any. */
  sourceUrl?: string | null;
}

/** An answer's question and cited passages, for "View sources"; null when there is no such answer. */
export async function loadCitedPassages(
  c: DbClient,
  answerId: string,
): Promise<{ question: string; passages: CitedPassage[] } | null> {
  if (!isAnswerId(answerId)) return null;
  const { rows } = await c.query<{ question: string }>('SELECT question FROM lore.answers WHERE id = $1', [
    answerId,
  ]);
  if (!rows[0]) return null;
  const cited = await c.query<CitedPassage>(
    `SELECT ac.position, ac.document_id AS "documentId", ac.title, ac.section, ch.page_start AS "pageStart",
            ch.page_end AS "pageEnd", ch.ordinal, ch.content, v.created_at AS "versionAddedAt",
            d.source_url AS "sourceUrl"
     FROM lore.answer_citations ac
     LEFT JOIN lore.chunks ch ON ch.id = ac.chunk_id
     LEFT JOIN lore.document_versions v ON v.id = ch.version_id
     LEFT JOIN lore.documents d ON d.id = ac.document_id
     WHERE ac.answer_id = $1 ORDER BY ac.position`,
    [answerId],
  );
  return { question: rows[0].question, passages: cited.rows };
}
