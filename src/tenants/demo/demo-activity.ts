import { insertBackdatedVote } from '../../ai/answer-feedback.repo.js';
import { hasAnswerWithKeyPrefix, insertBackdatedAnswer, insertFirstCitation } from '../../ai/answers.repo.js';
import { notDemo } from '../../errors.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { firstReadySampleDocument } from '../../knowledge/documents.repo.js';
import { insertBackdatedGap } from '../../knowledge/knowledge-gaps.repo.js';
import { insertBackdatedAnswerUsage } from '../../usage/usage.repo.js';
import { isDemoTenant } from '../tenants.repo.js';

/** Every row this seeds carries this idempotency-key prefix: demo data is always recognisable as such. */
export const DEMO_KEY_PREFIX = 'demo-seed:';

// Questions the sample guide ("Getting started with Lore") answers, with the answer and the section it cites.
const ANSWERED = [
  [
    'How do I ask Lore a question?',
    'Mention @Lore in a channel it is in, send it a direct message, or type */ask* followed by your question [1].',
    'How to ask Lore a question',
  ],
  [
    'Can I ask Lore in a direct message?',
    'Yes: send Lore a direct message, or use */ask* anywhere in Slack, where only you see the answer [1].',
    'How to ask Lore a question',
  ],
  [
    'Do I need to mention Lore again in a thread?',
    'No. Follow-up questions in a thread Lore has answered in need no new mention [1].',
    'How to ask Lore a question',
  ],
  [
    'What file types can we add to Lore?',
    'PDFs, Word documents (DOCX), Markdown, HTML pages and plain text files [1].',
    'What Lore knows',
  ],
  [
    'What happens when Lore does not know the answer?',
    "It says so instead of guessing, and the question goes to the admins' knowledge-gap inbox [1].",
    'What Lore knows',
  ],
  [
    'How do admins add documents?',
    'In the Lore dashboard: open *Documents* and drag files onto the page. Each file shows its progress and is searchable once ready [1].',
    'How to add documents',
  ],
  [
    'What happens if I upload a file with the same name?',
    'It replaces the old version [1].',
    'How to add documents',
  ],
  [
    'How can a script sync our wiki into Lore?',
    'Create an API key on the Settings page and upload documents with it [1].',
    'How to add documents',
  ],
  [
    'What does the thumbs-down button do?',
    'It asks for an optional reason and helps admins see which documents are missing or out of date [1].',
    'Feedback',
  ],
  [
    'Is our data used for other workspaces?',
    'No. Your documents and questions are only used to answer your workspace, and tokens are stored encrypted [1].',
    'Privacy',
  ],
] as const;
// Questions the demo knowledge base does not cover: they become knowledge gaps, as they would for real.
const UNANSWERED = [
  'How many vacation days do new employees get?',
  'What is the wifi password in the Lisbon office?',
  'Who approves parental leave?',
  'How do I expense a client dinner?',
];
const DOWNVOTE_REASONS = [
  'It did not say where the dashboard is.',
  'I wanted the steps for the API key.',
  'Too short.',
];
const CHANNELS = ['C0DEMOGENERAL', 'C0DEMOHELPDESK', 'C0DEMOONBOARD', 'C0DEMOSALES'];
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
  a: {
    key: string;
    at: Date;
    question: string;
    answer: string;
    section: string;
    outcome: 'answered' | 'no_sources';
    user: string;
    channel: string;
    prompt: number;
    completion: number;
    latency: number;
    doc: { id: string; title: string } | null;
    vote: -1 | 0 | 1;
    reason: string;
  },
): Promise<void> {
  const cost = (a.prompt * 0.15 + a.completion * 0.6) / 1_000_000;
  const id = await insertBackdatedAnswer(c, {
    tenantId,
    idempotencyKey: a.key,
    slackUserId: a.user,
    slackChannelId: a.channel,
    question: a.question,
    answerText: a.answer,
    outcome: a.outcome,
    promptTokens: a.prompt,
    completionTokens: a.completion,
    costUsd: cost,
    latencyMs: a.latency,
    at: a.at,
  });
  await insertBackdatedAnswerUsage(c, {
    tenantId,
    idempotencyKey: a.key,
    answerId: id,
    slackChannelId: a.channel,
    slackUserId: a.user,
    promptTokens: a.prompt,
    completionTokens: a.completion,
    costUsd: cost,
    latencyMs: a.latency,
    outcome: a.outcome,
    at: a.at,
  });
  if (a.doc && a.outcome === 'answered') {
    await insertFirstCitation(c, id, tenantId, {
      documentId: a.doc.id,
      title: a.doc.title,
      section: a.section,
      score: 0.6 + (a.prompt % 37) / 100,
    });
  }
  if (a.vote !== 0) {
    await insertBackdatedVote(c, {
      answerId: id,
      tenantId,
      slackUserId: a.user,
      vote: a.vote,
      reason: a.vote < 0 ? a.reason : null,
      at: a.at,
    });
  }
  if (a.outcome === 'no_sources' || a.vote < 0) {
    await insertBackdatedGap(c, {
      tenantId,
      answerId: id,
      question: a.question,
      reason: a.outcome === 'no_sources' ? 'no_sources' : 'downvoted',
      at: a.at,
    });
  }
}

/**
 * Fills the embedded demo workspace with `days` of realistic-looking questions, usage, votes and gaps, so
 * the dashboard's charts have something to show. Demo workspaces only (a real tenant is refused), once
 * (a second call adds nothing), and every row is marked with DEMO_KEY_PREFIX. Returns how many it added.
 */
export async function seedDemoActivity(
  db: Database,
  tenantId: string,
  opts: { days?: number; seed?: number } = {},
): Promise<number> {
  return withTenant(db, tenantId, async (c) => {
    if (!(await isDemoTenant(c, tenantId))) {
      throw notDemo('Demo activity is only ever added to the demo workspace');
    }
    if (await hasAnswerWithKeyPrefix(c, DEMO_KEY_PREFIX)) return 0;
    const guide = await firstReadySampleDocument(c);
    const rnd = random(opts.seed ?? 42);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const days = opts.days ?? 30;
    let n = 0;
    for (let d = days - 1; d >= 0; d--) {
      const weekday = new Date(Date.now() - d * 86_400_000).getUTCDay();
      const count = Math.round((weekday === 0 || weekday === 6 ? 2 : 6) + rnd() * 6 + (days - d) / 6);
      for (let i = 0; i < count; i++) {
        // Within day d's UTC calendar day, and never in the future.
        const dayStart = Math.floor(Date.now() / 86_400_000) * 86_400_000 - d * 86_400_000;
        const at = new Date(dayStart + Math.floor(rnd() * Math.min(86_400_000, Date.now() - dayStart)));
        // Without the sample guide nothing can be cited: every question is then a gap, as it would be.
        const unanswered = !guide || rnd() < 0.12;
        const r = rnd();
        const [question, answer, section] = pick([...ANSWERED]);
        await insertOne(c, tenantId, {
          key: `${DEMO_KEY_PREFIX}${d}-${i}`,
          at,
          question: unanswered ? pick(UNANSWERED) : question,
          answer: unanswered
            ? "I couldn't find this in your workspace's documents, so I won't guess."
            : answer,
          section: unanswered ? '' : section,
          reason: pick(DOWNVOTE_REASONS),
          outcome: unanswered ? 'no_sources' : 'answered',
          user: pick(USERS),
          channel: pick(CHANNELS),
          prompt: unanswered ? 0 : 900 + Math.floor(rnd() * 1500),
          completion: unanswered ? 0 : 80 + Math.floor(rnd() * 260),
          latency: unanswered ? 250 + Math.floor(rnd() * 300) : 900 + Math.floor(rnd() * 2200),
          doc: guide ?? null,
          vote: unanswered ? 0 : r < 0.35 ? 1 : r < 0.42 ? -1 : 0,
        });
        n++;
      }
    }
    return n;
  });
}
