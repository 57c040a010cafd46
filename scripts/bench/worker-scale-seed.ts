import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { storeSearchableDocument } from '../../tests/support/search-documents.js';
import { installWorkspaces } from './web-process.js';

/**
 * The worker-scale benchmark's data and measurements: installed workspaces with a searchable handbook on
 * the business plan, the answers finished so far, and the Redis keys a run leaves.
 */
export const QUESTION = 'How many days ahead must flights be booked?';
export const MODEL_ANSWER =
  'Flights must be booked at least 14 days ahead of travel, as the policy says [1].';

const HANDBOOK = [
  { section: 'Flights', content: 'Flights must be booked at least 14 days ahead through the travel desk.' },
  { section: 'Hotels', content: 'Hotels are booked by the traveller, up to the city rate in the table.' },
  { section: 'Expenses', content: 'Expenses are filed within 30 days with a receipt for every item.' },
];

/**
 * Installs `teamIds` and gives each a ready handbook, so every question finds related passages and goes
 * to the model. The business plan keeps its rate limits (600 a minute per workspace) out of the way.
 * Returns the tenant ids.
 */
export async function seedWorkspaces(db: Database, teamIds: string[]): Promise<string[]> {
  await installWorkspaces(db, teamIds);
  const { rows } = await db.pool.query<{ id: string }>(
    `UPDATE lore.tenants SET plan_id = 'business' WHERE slack_team_id = ANY($1) RETURNING id`,
    [teamIds],
  );
  for (const { id } of rows)
    await withTenant(db, id, (c) => storeSearchableDocument(c, id, 'Travel policy', HANDBOOK));
  return rows.map((r) => r.id);
}

/**
 * The answers to `eventIds` finished so far: outcome counts, the last one's completion time (ms epoch), and
 * the median time a worker spent on one (its row claimed at the job's start → completed; queueing excluded).
 */
export async function finishedAnswers(
  db: Database,
  eventIds: string[],
): Promise<{ done: number; outcomes: Record<string, number>; lastAt: number; p50Ms: number }> {
  const { rows } = await db.pool.query<{ outcome: string; n: number; last: Date | null; p50: string }>(
    `SELECT outcome, count(*)::int AS n, max(completed_at) AS last,
       extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_at - created_at)) * 1000 AS p50
     FROM lore.answers WHERE idempotency_key = ANY($1) AND completed_at IS NOT NULL GROUP BY outcome`,
    [eventIds],
  );
  const outcomes = Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
  const done = rows.reduce((sum, r) => sum + r.n, 0);
  const lastAt = Math.max(0, ...rows.map((r) => r.last?.getTime() ?? 0));
  // The answered ones' median (the only outcome a healthy run has).
  const p50Ms = Number(rows.find((r) => r.outcome === 'answered')?.p50 ?? Number.NaN);
  return { done, outcomes, lastAt, p50Ms };
}

/**
 * Polls `finishedAnswers` every `pollMs` until every one of `eventIds` is answered or `deadline` (ms epoch)
 * has passed; the last state read.
 */
export async function waitForAnswers(
  db: Database,
  eventIds: string[],
  deadline: number,
  pollMs = 250,
): Promise<Awaited<ReturnType<typeof finishedAnswers>>> {
  let state = await finishedAnswers(db, eventIds);
  while (state.done < eventIds.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pollMs));
    state = await finishedAnswers(db, eventIds);
  }
  return state;
}

/**
 * Answers/s while every worker slot is busy: the completions between the 10th and the 90th percentile of
 * `eventIds`, over the time between them, so the ramp at the start and the last partial round are left out.
 */
export async function steadyRate(db: Database, eventIds: string[]): Promise<number> {
  const { rows } = await db.pool.query<{ at: Date }>(
    `SELECT completed_at AS at FROM lore.answers
     WHERE idempotency_key = ANY($1) AND completed_at IS NOT NULL ORDER BY completed_at`,
    [eventIds],
  );
  const [from, to] = [Math.floor(rows.length * 0.1), Math.ceil(rows.length * 0.9) - 1];
  const ms = (rows[to]?.at.getTime() ?? 0) - (rows[from]?.at.getTime() ?? 0);
  return ms > 0 ? ((to - from) * 1000) / ms : Number.NaN;
}
