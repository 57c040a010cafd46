import type { DbClient } from '../infra/db/database.js';
import type { AnswerResult, AnswerSource } from './answer.types.js';
import { citationUrl } from './citation-url.js';

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
