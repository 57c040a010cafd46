import type { Database } from '../../src/infra/db/database.js';
import { type AnswerFixture, createAnswer } from './factories.js';

const DAY = 86_400_000;

/** `n` days ago at `hour`:00 UTC. */
export function daysAgo(n: number, hour = 12): Date {
  const d = new Date(Date.now() - n * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

/** The UTC day of a date, as the usage API names it. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

type Usage = Pick<AnswerFixture, 'promptTokens' | 'completionTokens' | 'costUsd' | 'latencyMs'>;
const answer = (
  question: string,
  at: Date,
  who: { userId: string; channelId: string },
  usage: Usage,
  more: Partial<AnswerFixture> = {},
): AnswerFixture => ({ question, at, ...who, ...usage, ...more });

const ANN_HR = { userId: 'UANN', channelId: 'CHR' };
const BEN_HR = { userId: 'UBEN', channelId: 'CHR' };

/**
 * A week of tenant A's usage: several channels and users (one DM-like answer without a channel), every
 * outcome, answers with and without latency, 6-decimal costs, votes both ways, an embedding event, and one
 * answer today (never rolled). Tenant B gets one large answer A must never see (channel CSECRET).
 */
export async function seedUsage(db: Database, a: string, b: string): Promise<void> {
  const seed = [
    answer(
      'q1',
      daysAgo(6, 0),
      ANN_HR,
      { promptTokens: 1000, completionTokens: 120, costUsd: 0.000333, latencyMs: 900 },
      {
        votes: [{ userId: 'UANN', vote: 1 }],
      },
    ),
    answer(
      'q2',
      daysAgo(6, 23),
      BEN_HR,
      { promptTokens: 700, completionTokens: 80, costUsd: 0.000201, latencyMs: 1500 },
      {
        outcome: 'extractive',
      },
    ),
    answer(
      'q3',
      daysAgo(5),
      { userId: 'UANN', channelId: 'CENG' },
      { latencyMs: 300 },
      { outcome: 'no_sources' },
    ),
    answer('q4', daysAgo(5, 14), { userId: 'UCAT', channelId: 'CENG' }, {}, { outcome: 'failed' }),
    answer(
      'q5',
      daysAgo(3),
      { userId: 'UBEN', channelId: '' },
      { promptTokens: 2000, completionTokens: 300, costUsd: 0.000777, latencyMs: 2100 },
      {
        votes: [
          { userId: 'UBEN', vote: -1 },
          { userId: 'UANN', vote: 1 },
        ],
      },
    ),
    answer('q6', daysAgo(3, 15), ANN_HR, {
      promptTokens: 10,
      completionTokens: 1,
      costUsd: 0.000001,
      latencyMs: 100,
    }),
    answer(
      'q7',
      daysAgo(1),
      { userId: 'UCAT', channelId: 'CSALES' },
      { promptTokens: 400, completionTokens: 40, costUsd: 0.0001, latencyMs: 700 },
      {
        votes: [{ userId: 'UCAT', vote: -1 }],
      },
    ),
    answer('q8', new Date(), ANN_HR, {
      promptTokens: 50,
      completionTokens: 5,
      costUsd: 0.00002,
      latencyMs: 400,
    }),
  ];
  for (const a1 of seed) await createAnswer(db, a, a1);
  // Embedding usage (document ingestion): tokens and cost of the day, not of any channel or user.
  await db.pool.query(
    `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, model, prompt_tokens, cost_usd, created_at)
     VALUES ($1, 'embedding', 'embed-1', 'text-embedding-3-small', 5000, 0.0001, $2)`,
    [a, daysAgo(5, 3)],
  );
  await createAnswer(
    db,
    b,
    answer(
      'secret',
      daysAgo(3),
      { userId: 'USECRET', channelId: 'CSECRET' },
      { promptTokens: 99999, costUsd: 9 },
    ),
  );
}

/** A tenant's rolled row for one day (owner role), or undefined when the day has none. */
export async function rolledDay(db: Database, tenantId: string, day: Date) {
  const { rows } = await db.pool.query(
    `SELECT questions, answered, unanswered, prompt_tokens::int AS prompt, cost_usd::text AS cost,
            thumbs_up AS up, thumbs_down AS down
     FROM lore.usage_daily WHERE tenant_id = $1 AND day = $2`,
    [tenantId, isoDay(day)],
  );
  return rows[0];
}

/** Every rollup row, in full (updated_at included), in a stable order. */
export async function rollupRows(db: Database) {
  const { rows } = await db.pool.query(
    `SELECT 'day' AS t, tenant_id, day::text, NULL AS channel, NULL AS user_id, row_to_json(d)::text AS data
     FROM lore.usage_daily d
     UNION ALL
     SELECT 'breakdown', tenant_id, day::text, slack_channel_id, slack_user_id, row_to_json(b)::text
     FROM lore.usage_daily_breakdown b ORDER BY 1, 2, 3, 4, 5`,
  );
  return rows;
}
