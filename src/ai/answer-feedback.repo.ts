import type { DbClient } from '../infra/db/database.js';
import { closeDownvotedGapIfNoDownvote, openDownvotedGap } from '../knowledge/knowledge-gaps.repo.js';
import { isAnswerId } from './answers.repo.js';

export type Vote = 1 | -1;

/**
 * Records a user's 👍/👎 on an answer of the current tenant (call inside withTenant): one vote per user,
 * changeable. A 👎 opens a `downvoted` knowledge gap for the admins; when no 👎 is left on the answer, an
 * open `downvoted` gap closes again. Returns false when the answer is not this tenant's.
 */
export async function recordVote(
  c: DbClient,
  p: { answerId: string; userId: string; vote: Vote },
): Promise<boolean> {
  if (!isAnswerId(p.answerId)) return false;
  // Selecting the answer under RLS is what keeps one workspace from voting on another's answers.
  const { rowCount } = await c.query(
    `INSERT INTO lore.answer_feedback (answer_id, tenant_id, slack_user_id, vote)
     SELECT a.id, a.tenant_id, $2, $3 FROM lore.answers a WHERE a.id = $1
     ON CONFLICT (answer_id, slack_user_id) DO UPDATE
       SET vote = EXCLUDED.vote,
           reason = CASE WHEN lore.answer_feedback.vote = EXCLUDED.vote THEN lore.answer_feedback.reason END`,
    [p.answerId, p.userId, p.vote],
  );
  if (!rowCount) return false;
  if (p.vote === -1) await openDownvotedGap(c, p.answerId);
  else await closeDownvotedGapIfNoDownvote(c, p.answerId);
  return true;
}

/** Stores the optional reason a user gave for their 👎 (call inside withTenant); false when there is no such vote. */
export async function saveFeedbackReason(
  c: DbClient,
  p: { answerId: string; userId: string; reason: string },
): Promise<boolean> {
  if (!isAnswerId(p.answerId)) return false;
  const { rowCount } = await c.query(
    `UPDATE lore.answer_feedback SET reason = $3 WHERE answer_id = $1 AND slack_user_id = $2 AND vote = -1`,
    [p.answerId, p.userId, p.reason.trim().slice(0, 2000) || null],
  );
  return Boolean(rowCount);
}

/** 👍 and 👎 votes given or changed since `since` (inside withTenant). */
export async function votesSince(
  c: DbClient,
  since: Date,
): Promise<{ up: number; down: number } | undefined> {
  const { rows } = await c.query<{ up: number; down: number }>(
    `SELECT count(*) FILTER (WHERE vote = 1)::int AS up, count(*) FILTER (WHERE vote = -1)::int AS down
       FROM lore.answer_feedback WHERE updated_at >= $1`,
    [since],
  );
  return rows[0];
}

/** Inserts a back-dated vote (the demo workspace). */
export async function insertBackdatedVote(
  c: DbClient,
  v: {
    answerId: string | undefined;
    tenantId: string;
    slackUserId: string;
    vote: -1 | 1;
    reason: string | null;
    at: Date;
  },
): Promise<void> {
  await c.query(
    `INSERT INTO lore.answer_feedback (answer_id, tenant_id, slack_user_id, vote, reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [v.answerId, v.tenantId, v.slackUserId, v.vote, v.reason, v.at],
  );
}
