import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.js';
import { tokenContext } from '../../src/tenants/installations/installation-record.js';
import {
  refreshExpiringTokens,
  TOKEN_REFRESH_WINDOW_MS,
} from '../../src/tenants/installations/token-refresh.job.js';
import { createTenantServices, type TenantServices } from '../../src/tenants/tenant-services.js';
import { buildInstallation } from '../support/factories.js';
import { type StorePair, storePairs } from '../support/redis.js';
import { SLACK_API, SLACK_ENV, slackFixture } from '../support/slack.js';
import { createTestDatabase } from '../support/test-db.js';

const rotation = slackFixture('oauth-v2-access-success').withTokenRotation.payload;
const config = loadConfig({ NODE_ENV: 'test', ...SLACK_ENV });
const logger = createLogger({ level: 'silent' });

/** One Lore process: its own caches and Slack app over the shared database and key-value service. */
interface Stack {
  tenants: TenantServices;
  slack: SlackApp;
}

async function stack(db: Database, kv: KeyValueStore): Promise<Stack> {
  const queue = createMemoryQueue({ logger });
  const tenants = createTenantServices({
    db,
    kv,
    queue,
    logger,
    cipher: createCipherBox(config.encryptionKeys),
  });
  await tenants.start();
  const slack = createSlackApp({
    config,
    logger,
    kv,
    db,
    queue,
    metrics: createMetrics(),
    installations: tenants.installations,
    lifecycle: tenants.lifecycle,
  });
  return { tenants, slack };
}

/** Stores a rotated-token install (the documented reply) whose bot token expires in `expiresInMs`. */
async function installRotating(s: Stack, teamId: string, expiresInMs: number) {
  return s.tenants.installations.store(
    buildInstallation({
      teamId,
      teamName: rotation.team.name,
      appId: rotation.app_id,
      bot: {
        id: 'B0KRQLJ9H',
        userId: rotation.bot_user_id,
        scopes: rotation.scope.split(','),
        token: rotation.access_token,
        refreshToken: rotation.refresh_token,
        expiresAt: new Date(Date.now() + expiresInMs),
      },
      user: { id: rotation.authed_user.id },
    }),
  );
}

/** Fakes the refresh: the first call succeeds with new tokens, any later call fails as a spent token would. */
function nockRefresh() {
  const spent: string[] = [];
  const refreshed = { ...rotation, access_token: 'xoxe.xoxb-1-REFRESHED', refresh_token: 'xoxe-1-NEXT' };
  nock(SLACK_API)
    .post('/api/oauth.v2.access', (b) => {
      spent.push(String(b.refresh_token));
      return b.grant_type === 'refresh_token';
    })
    .reply(200, refreshed);
  nock(SLACK_API)
    .post('/api/oauth.v2.access', (b) => {
      spent.push(String(b.refresh_token));
      return true;
    })
    .reply(200, { ok: false, error: 'invalid_refresh_token' })
    .persist();
  return { spent, refreshed };
}

function rotationSuite(makeKvs: () => StorePair) {
  let db: Database;
  let kvs: ReturnType<typeof makeKvs>;
  let a: Stack;
  let b: Stack;

  beforeAll(async () => {
    db = await createTestDatabase();
    kvs = makeKvs();
    a = await stack(db, kvs.a);
    b = await stack(db, kvs.b);
  });
  afterAll(async () => {
    await a.tenants.stop();
    await b.tenants.stop();
    await kvs.close();
    await db.close();
  });
  afterEach(() => nock.cleanAll());

  it('two concurrent requests in two processes spend the refresh token once and both get the new token', async () => {
    const teamId = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const { tenantId } = await installRotating(a, teamId, 10 * 60_000);
    const { spent, refreshed } = nockRefresh();
    const source = { teamId, enterpriseId: undefined, isEnterpriseInstall: false };

    const results = await Promise.all([
      a.slack.authorize(source),
      b.slack.authorize(source),
      a.slack.authorize(source),
      b.slack.authorize(source),
    ]);

    expect(spent).toEqual([rotation.refresh_token]);
    expect(results.map((r) => r.botToken)).toEqual(Array(4).fill(refreshed.access_token));
    const { rows } = await db.pool.query(
      'SELECT bot_token_encrypted, bot_refresh_token_encrypted, bot_token_expires_at FROM lore.installations WHERE tenant_id = $1',
      [tenantId],
    );
    const cipher = a.tenants.cipher;
    expect(cipher.decrypt(rows[0].bot_token_encrypted, tokenContext(tenantId, 'bot_token_encrypted'))).toBe(
      refreshed.access_token,
    );
    expect(
      cipher.decrypt(
        rows[0].bot_refresh_token_encrypted,
        tokenContext(tenantId, 'bot_refresh_token_encrypted'),
      ),
    ).toBe('xoxe-1-NEXT');
    expect(rows[0].bot_token_expires_at.getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(JSON.stringify(rows)).not.toContain('xoxe');
    const audit = await db.pool.query(
      "SELECT count(*)::int AS n FROM lore.audit_log WHERE tenant_id = $1 AND action = 'token.refreshed'",
      [tenantId],
    );
    expect(audit.rows[0].n).toBe(1);

    // Later requests use the stored token and spend nothing.
    expect((await b.slack.authorize(source)).botToken).toBe(refreshed.access_token);
    expect(spent).toHaveLength(1);
  });

  it('the background refresher renews a quiet tenant about to expire and leaves fresh tokens alone', async () => {
    const quiet = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const fresh = `T${randomUUID().slice(0, 8).toUpperCase()}`;
    const q = await installRotating(a, quiet, 30 * 60_000);
    const f = await installRotating(a, fresh, 11 * 3_600_000);
    const { spent, refreshed } = nockRefresh();

    const count = await refreshExpiringTokens({
      db,
      logger,
      refreshTenant: b.slack.refreshTenantTokens,
      windowMs: TOKEN_REFRESH_WINDOW_MS,
    });
    expect(count).toBe(1);
    expect(spent).toEqual([rotation.refresh_token]);
    const token = async (tenantId: string) =>
      a.tenants.cipher.decrypt(
        (
          await db.pool.query('SELECT bot_token_encrypted FROM lore.installations WHERE tenant_id = $1', [
            tenantId,
          ])
        ).rows[0].bot_token_encrypted,
        tokenContext(tenantId, 'bot_token_encrypted'),
      );
    expect(await token(q.tenantId)).toBe(refreshed.access_token);
    expect(await token(f.tenantId)).toBe(rotation.access_token);
    // A job in the other process now gets a client with the renewed token.
    const client = await a.slack.clients.getClient(q.tenantId);
    expect(client.token).toBe(refreshed.access_token);
  });
}

for (const pair of storePairs()) {
  describe.skipIf(!pair.make)(`token rotation (${pair.name})`, () =>
    rotationSuite(pair.make as () => StorePair),
  );
}
