import { randomBytes } from 'node:crypto';
import { expect, vi } from 'vitest';
import type { StandInCall, startSlackStandIn } from '../../../scripts/slack-stand-in.js';
import type { Database } from '../../../src/infra/db/database.js';
import { finishInstall, SLACK_ENV, startInstall } from '../../support/slack.js';
import type { Workspace } from '../../support/slack-answers.js';

type SlackStandIn = Awaited<ReturnType<typeof startSlackStandIn>>;

/** The workspace a fault test installs (the Slack stand-in plays it). */
export type FaultWorkspace = Workspace & { teamName: string; installerId: string };

export const eventually = (timeout: number) => ({ timeout, interval: 100 });

/** A fault test's workspace, its Slack ids made from one short code (`T0<code>`, `U0<code>BOT`, …). */
export const faultWorkspace = (code: string, teamName: string): FaultWorkspace => ({
  tenantId: '',
  teamId: `T0${code}`,
  teamName,
  botUserId: `U0${code}BOT`,
  botId: `B0${code}BOT`,
  installerId: `U0${code}INST`,
});

/** CI must run every fault test: without native Postgres they skip, so CI without it is an error. */
export function requireNativeInCi(onNativePostgres: boolean, what: string): void {
  if (process.env.CI === 'true' && !onNativePostgres)
    throw new Error(`CI=true but TEST_DATABASE_URL is not set: ${what} must run in CI.`);
}

/** What production sets: NODE_ENV=production and every secret, with Slack and OpenAI at local stand-ins. */
export function productionEnv(p: {
  databaseUrl: string;
  redisUrl: string;
  slackApiUrl: string;
  openaiUrl: string;
  dataDir: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'https://lore.example.test',
    SLACK_CLIENT_ID: SLACK_ENV.SLACK_CLIENT_ID as string,
    SLACK_CLIENT_SECRET: SLACK_ENV.SLACK_CLIENT_SECRET as string,
    SLACK_SIGNING_SECRET: SLACK_ENV.SLACK_SIGNING_SECRET as string,
    SLACK_STATE_SECRET: `state-${randomBytes(8).toString('hex')}`,
    SLACK_API_URL: p.slackApiUrl,
    DATABASE_URL: p.databaseUrl,
    REDIS_URL: p.redisUrl,
    QUEUE_NAME: `faults-${randomBytes(4).toString('hex')}`,
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    OPENAI_API_KEY: 'sk-faults-platform',
    OPENAI_BASE_URL: `${p.openaiUrl}/v1`,
    DATA_DIR: p.dataDir,
  };
}

/**
 * Installs `ws` through "Add to Slack" on `webUrl` (the stand-in answers the code exchange), waits for its
 * sample document to be read by a worker, and moves it to the business plan so a steady stream of
 * questions is not rate limited. Returns the tenant id.
 */
export async function installThroughOAuth(webUrl: string, db: Database, ws: FaultWorkspace): Promise<string> {
  const begun = await startInstall(webUrl);
  expect(begun.state).not.toBe('');
  const done = await finishInstall(webUrl, { code: 'fault-code', state: begun.state, cookie: begun.cookie });
  expect(done.status).toBe(200);
  expect(done.html).toContain('Lore is installed');
  const { rows } = await db.pool.query<{ id: string; status: string }>(
    'SELECT id, status FROM lore.tenants WHERE slack_team_id = $1',
    [ws.teamId],
  );
  expect(rows[0]?.status).toBe('active');
  const tenantId = rows[0]?.id as string;
  await vi.waitFor(async () => {
    const docs = await db.pool.query('SELECT status FROM lore.documents WHERE tenant_id = $1', [tenantId]);
    expect(docs.rows).toEqual([{ status: 'ready' }]);
  }, eventually(60_000));
  await db.pool.query(`UPDATE lore.tenants SET plan_id = 'business' WHERE id = $1`, [tenantId]);
  return tenantId;
}

/** Messages the bot started in a thread: a stream or a posted message (ephemeral notices excluded). */
export function repliesIn(slack: SlackStandIn, threadTs: string): StandInCall[] {
  return slack.calls.filter(
    (c) =>
      (c.method === 'chat.startStream' || c.method === 'chat.postMessage') && c.args.thread_ts === threadTs,
  );
}

/** The recorded outcomes of one event's answer (one row at most: the event id is its idempotency key). */
export async function outcomeOf(db: Database, eventId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ outcome: string }>(
    'SELECT outcome FROM lore.answers WHERE idempotency_key = $1',
    [eventId],
  );
  return rows.map((r) => r.outcome);
}

/** A long handbook: `sections` headed sections of a few sentences each, so it splits into many chunks. */
export function longHandbook(sections: number, topic = 'Handbook'): string {
  const parts = [`# ${topic}`];
  for (let i = 0; i < sections; i++) {
    parts.push(
      `## Section ${i + 1}: rule ${i + 1}`,
      `Rule ${i + 1} of the ${topic.toLowerCase()} says that request ${i + 1} needs approval from team ${i % 17} ` +
        `within ${(i % 9) + 2} working days. Keep the receipt for ${(i % 5) + 1} years, and file it under code ` +
        `${topic.slice(0, 3).toUpperCase()}-${1000 + i}. Questions about rule ${i + 1} go to the ${topic.toLowerCase()} desk.`,
    );
  }
  return parts.join('\n\n');
}

/** Uploads `text` as `fileName` through the public API on `webUrl` with an API key; returns the document id. */
export async function uploadText(
  webUrl: string,
  apiKey: string,
  fileName: string,
  text: string,
): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([text]), fileName);
  const res = await fetch(`${webUrl}/api/documents`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { results: Array<{ document: { id: string } }> };
  return body.results[0]?.document.id as string;
}

/** A document's stored state: its status, its versions' statuses, and its chunks (ordinal, version, text). */
export async function storedDocument(db: Database, documentId: string) {
  const doc = await db.pool.query<{ status: string; chunkCount: number; activeVersionId: string | null }>(
    `SELECT status, chunk_count AS "chunkCount", active_version_id AS "activeVersionId"
     FROM lore.documents WHERE id = $1`,
    [documentId],
  );
  const versions = await db.pool.query<{ status: string }>(
    'SELECT status FROM lore.document_versions WHERE document_id = $1 ORDER BY version',
    [documentId],
  );
  const chunks = await db.pool.query<{
    ordinal: number;
    versionId: string;
    content: string;
    embedded: boolean;
  }>(
    `SELECT ordinal, version_id AS "versionId", content, embedding IS NOT NULL AS embedded
     FROM lore.chunks WHERE document_id = $1 ORDER BY ordinal, id`,
    [documentId],
  );
  return { ...doc.rows[0], versions: versions.rows.map((v) => v.status), chunks: chunks.rows };
}

/**
 * What "nothing half-written" means for one document: it is ready, every chunk belongs to its active
 * version and is embedded, ordinals run 0..n-1 once each, and chunk_count says n.
 */
export async function expectWholeDocument(db: Database, documentId: string): Promise<string[]> {
  const doc = await storedDocument(db, documentId);
  expect(doc.status).toBe('ready');
  expect(doc.versions.at(-1)).toBe('ready');
  expect(doc.chunks.length).toBeGreaterThan(0);
  expect(doc.chunkCount).toBe(doc.chunks.length);
  expect(doc.chunks.map((c) => c.ordinal)).toEqual(doc.chunks.map((_, i) => i));
  expect(new Set(doc.chunks.map((c) => c.versionId))).toEqual(new Set([doc.activeVersionId]));
  expect(doc.chunks.every((c) => c.embedded)).toBe(true);
  return doc.chunks.map((c) => c.content);
}
