import type { Database } from '../../src/infra/db/database.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { type DocumentRecord, insertDocument } from '../../src/knowledge/documents.repo.js';
import type { NewInstallation } from '../../src/tenants/installations/installation.types.js';
import { insertTenant, type NewTenant, type Tenant } from '../../src/tenants/tenants.repo.js';

/**
 * Test data with sensible defaults: a test names only what it is about, and every other field is what
 * Slack's OAuth exchange (or the provisioning code) would have produced for an ordinary workspace.
 */

type InstallationOverrides = Partial<Omit<NewInstallation, 'bot' | 'user'>> & {
  bot?: Partial<NonNullable<NewInstallation['bot']>> | null;
  user?: Partial<NewInstallation['user']>;
};

/**
 * One workspace's install as `oauth.v2.access` describes it: a bot token with `chat:write`, installed by
 * `user.id` (U0INSTALLER), not org-wide. `bot` and `user` merge field by field; `bot: null` means no bot.
 */
export function buildInstallation(overrides: InstallationOverrides = {}): NewInstallation {
  const teamId = overrides.teamId === undefined ? 'T0FACTORY' : overrides.teamId;
  const { bot, user, ...rest } = overrides;
  return {
    teamId,
    teamName: `Team ${teamId}`,
    enterpriseId: null,
    enterpriseName: null,
    enterpriseUrl: null,
    isEnterpriseInstall: false,
    appId: 'A0KRD7HC3',
    tokenType: 'bot',
    authVersion: 'v2',
    metadata: null,
    incomingWebhook: null,
    ...rest,
    bot:
      bot === null
        ? null
        : { id: 'B1', userId: 'UBOT', scopes: ['chat:write'], token: `xoxb-${teamId}`, ...bot },
    user: { id: 'U0INSTALLER', scopes: [], tokens: null, ...user },
  };
}

/** A tenant row as provisioning makes it for a Slack team (not org-wide), on the `free` plan. */
export function buildTenant(overrides: Partial<NewTenant> = {}): NewTenant {
  const slackTeamId = overrides.slackTeamId === undefined ? 'T0FACTORY' : overrides.slackTeamId;
  return {
    slackTeamId,
    slackEnterpriseId: null,
    isEnterpriseInstall: false,
    name: `Workspace ${slackTeamId}`,
    planId: 'free',
    ...overrides,
  };
}

/** Inserts `buildTenant(overrides)` (as the owner role, as provisioning does) and returns the row. */
export function createTenant(db: Database, overrides: Partial<NewTenant> = {}): Promise<Tenant> {
  return withTransaction(db, (c) => insertTenant(c, buildTenant(overrides)));
}

/** What `insertDocument` takes. */
type NewDocument = Parameters<typeof insertDocument>[1];

/** A document row as an upload creates it (queued, no version yet), in the tenant's default collection. */
export function buildDocument(tenantId: string, overrides: Partial<NewDocument> = {}): NewDocument {
  return {
    tenantId,
    title: 'Handbook',
    sourceName: 'handbook.md',
    sourceKind: 'upload',
    createdBy: 'test',
    ...overrides,
  };
}

/** Inserts `buildDocument(tenantId, overrides)` as the tenant (RLS applies) and returns the row. */
export function createDocument(
  db: Database,
  tenantId: string,
  overrides: Partial<NewDocument> = {},
): Promise<DocumentRecord> {
  return withTenant(db, tenantId, (c) => insertDocument(c, buildDocument(tenantId, overrides)));
}

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

/** An answered question asked now by U1 in C1, with no tokens, votes, citations or gap. */
export function buildAnswer(overrides: Partial<AnswerFixture> = {}): AnswerFixture {
  return { question: 'How many vacation days do I get?', at: new Date(), ...overrides };
}

/**
 * Inserts `buildAnswer(overrides)` with its usage event, citations, votes and knowledge gap, as the answer
 * pipeline records them; returns its id.
 */
export async function createAnswer(
  db: Database,
  tenantId: string,
  overrides: Partial<AnswerFixture> = {},
): Promise<string> {
  const a = buildAnswer(overrides);
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
