import { AppError } from '../errors.js';
import type { Database, DbClient } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';

/** Every row this seeds carries this idempotency-key prefix: demo data is always recognisable as such. */
export const DEMO_KEY_PREFIX = 'demo-seed:';

const QUESTIONS = [
  'How many vacation days do new employees get?',
  'How do I add Lore to a channel?',
  'What formats can I upload to the knowledge base?',
  'Who can open the Lore dashboard?',
  'How do I expense a client dinner?',
  'What is the travel booking policy?',
  'How do I request a new laptop?',
  'Where do I find the brand guidelines?',
  'How does Lore decide which sources to cite?',
  'Can I ask Lore in a direct message?',
];
const UNANSWERED = ['What is the wifi password in the Lisbon office?', 'When is the next all-hands?', 'Who approves parental leave?'];
const CHANNELS = ['C0DEMOGENERAL', 'C0DEMOHR', 'C0DEMOIT', 'C0DEMOSALES'];
const USERS = ['U0DEMOALICE', 'U0DEMOBOB', 'U0DEMOCARLA', 'U0DEMODAVID', 'U0DEMOEMMA'];

/** A small deterministic generator: the same seed gives the same demo data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function insertOne(
  c: DbClient,
  tenantId: string,
  a: { key: string; at: Date; question: string; outcome: 'answered' | 'no_sources'; user: string; channel: string; prompt: number; completion: number; latency: number; doc: { id: string; title: string } | null; vote: -1 | 0 | 1 },
): Promise<void> {
  const cost = (a.prompt * 0.15 + a.completion * 0.6) / 1_000_000;
  const answer = a.outcome === 'answered' ? `${a.doc ? `From *${a.doc.title}*: ` : ''}here is what the handbook says [1].` : "I couldn't find this in your workspace's documents, so I won't guess.";
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO lore.answers (tenant_id, idempotency_key, slack_user_id, slack_channel_id, question, answer_text, outcome, model,
       key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'gpt-4o-mini', 'platform', $8, $9, $10, $11, $12, $12) RETURNING id`,
    [tenantId, a.key, a.user, a.channel, a.question, answer, a.outcome, a.prompt, a.completion, cost, a.latency, a.at],
  );
  const id = rows[0]?.id;
  await c.query(
    `INSERT INTO lore.usage_events (tenant_id, kind, idempotency_key, answer_id, slack_channel_id, slack_user_id, model,
       key_source, prompt_tokens, completion_tokens, cost_usd, latency_ms, outcome, created_at)
     VALUES ($1, 'answer', $2, $3, $4, $5, 'gpt-4o-mini', 'platform', $6, $7, $8, $9, $10, $11)`,
    [tenantId, a.key, id, a.channel, a.user, a.prompt, a.completion, cost, a.latency, a.outcome, a.at],
  );
  if (a.doc && a.outcome === 'answered') {
    await c.query(
      `INSERT INTO lore.answer_citations (answer_id, tenant_id, position, document_id, title, section, score)
       VALUES ($1, $2, 1, $3, $4, '', 0.82)`,
      [id, tenantId, a.doc.id, a.doc.title],
    );
  }
  if (a.vote !== 0) {
    await c.query(
      `INSERT INTO lore.answer_feedback (answer_id, tenant_id, slack_user_id, vote, reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, tenantId, a.user, a.vote, a.vote < 0 ? 'The answer missed the part about contractors.' : null, a.at],
    );
  }
  if (a.outcome === 'no_sources' || a.vote < 0) {
    await c.query('INSERT INTO lore.knowledge_gaps (tenant_id, answer_id, question, reason, created_at) VALUES ($1, $2, $3, $4, $5)', [
      tenantId,
      id,
      a.question,
      a.outcome === 'no_sources' ? 'no_sources' : 'downvoted',
      a.at,
    ]);
  }
}

/**
 * Fills the embedded demo workspace with `days` of realistic-looking questions, usage, votes and gaps, so
 * the dashboard's charts have something to show. Demo workspaces only (a real tenant is refused), once
 * (a second call adds nothing), and every row is marked with DEMO_KEY_PREFIX. Returns how many it added.
 */
export async function seedDemoActivity(db: Database, tenantId: string, opts: { days?: number; seed?: number } = {}): Promise<number> {
  return withTenant(db, tenantId, async (c) => {
    const t = await c.query<{ isDemo: boolean }>('SELECT is_demo AS "isDemo" FROM lore.tenants WHERE id = $1', [tenantId]);
    if (!t.rows[0]?.isDemo) {
      throw new AppError({ code: 'not_demo', message: 'Demo activity is only ever added to the demo workspace', status: 400 });
    }
    const seeded = await c.query('SELECT 1 FROM lore.answers WHERE idempotency_key LIKE $1 LIMIT 1', [`${DEMO_KEY_PREFIX}%`]);
    if (seeded.rowCount) return 0;
    const docs = (await c.query<{ id: string; title: string }>("SELECT id, title FROM lore.documents WHERE status = 'ready' ORDER BY created_at LIMIT 5")).rows;
    const rnd = random(opts.seed ?? 42);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const days = opts.days ?? 30;
    let n = 0;
    for (let d = days - 1; d >= 0; d--) {
      const weekday = new Date(Date.now() - d * 86_400_000).getUTCDay();
      const count = Math.round((weekday === 0 || weekday === 6 ? 2 : 6) + rnd() * 6 + (days - d) / 6);
      for (let i = 0; i < count; i++) {
        const at = new Date(Date.now() - d * 86_400_000 - Math.floor(rnd() * 8 * 3_600_000));
        const unanswered = rnd() < 0.12;
        const r = rnd();
        await insertOne(c, tenantId, {
          key: `${DEMO_KEY_PREFIX}${d}-${i}`,
          at,
          question: unanswered ? pick(UNANSWERED) : pick(QUESTIONS),
          outcome: unanswered ? 'no_sources' : 'answered',
          user: pick(USERS),
          channel: pick(CHANNELS),
          prompt: unanswered ? 0 : 900 + Math.floor(rnd() * 1500),
          completion: unanswered ? 0 : 80 + Math.floor(rnd() * 260),
          latency: unanswered ? 250 + Math.floor(rnd() * 300) : 900 + Math.floor(rnd() * 2200),
          doc: docs.length ? pick(docs) : null,
          vote: unanswered ? 0 : r < 0.35 ? 1 : r < 0.42 ? -1 : 0,
        });
        n++;
      }
    }
    return n;
  });
}
