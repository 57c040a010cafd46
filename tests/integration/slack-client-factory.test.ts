import { Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMetrics, type Metrics } from '../../src/infra/metrics.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp, type SlackApp } from '../../src/slack/slack-app.js';
import { createTenantServices, type TenantServices } from '../../src/tenants/tenant-services.js';
import { SLACK_API, SLACK_ENV, slackFixture } from '../support/slack.js';
import { createTestDatabase } from '../support/test-db.js';

const install = slackFixture('oauth-v2-access-success').primary.payload;
const posted = slackFixture('chat-postMessage-response').success.payload;
// Slack's SDK test suites answer a rate-limited call like this (rate-limited-429.json, python-slack-sdk).
const limited = slackFixture('rate-limited-429').sdkMockResponses[0];

describe('per-tenant Slack clients (client factory) and rate limits', () => {
  let db: Database;
  let tenants: TenantServices;
  let slack: SlackApp;
  let metrics: Metrics;
  let tenantId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _e, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const kv = createMemoryStore({ logger });
    const queue = createMemoryQueue({ logger });
    metrics = createMetrics();
    tenants = createTenantServices({
      db,
      kv,
      queue,
      logger,
      cipher: createCipherBox(loadConfig({}).encryptionKeys),
    });
    slack = createSlackApp({
      config: loadConfig({ NODE_ENV: 'test', ...SLACK_ENV }),
      logger,
      kv,
      db,
      queue,
      metrics,
      installations: tenants.installations,
      lifecycle: tenants.lifecycle,
    });
    ({ tenantId } = await tenants.installations.store({
      teamId: install.team.id,
      teamName: install.team.name,
      enterpriseId: null,
      enterpriseName: null,
      enterpriseUrl: null,
      isEnterpriseInstall: false,
      appId: install.app_id,
      tokenType: 'bot',
      authVersion: 'v2',
      metadata: null,
      incomingWebhook: null,
      bot: {
        id: 'B1',
        userId: install.bot_user_id,
        scopes: install.scope.split(','),
        token: install.access_token,
      },
      user: { id: 'U1234', scopes: [], tokens: null },
    }));
  });
  afterAll(() => db.close());

  const rateLimited = async () =>
    (await metrics.slackRateLimited.get()).values.find((v) => v.labels.method === 'chat.postMessage')
      ?.value ?? 0;

  it("gives a job the tenant's bot client on SLACK_API_URL, reuses it, and waits out a 429 (logged and counted)", async () => {
    const auths: string[] = [];
    nock(SLACK_API).post('/api/chat.postMessage').reply(limited.status, limited.body, {
      'retry-after': limited.headers['retry-after'],
      'content-type': 'application/json',
    });
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(function () {
        auths.push(String(this.req.headers.authorization));
        return [200, posted];
      });

    const client = await slack.clients.getClient(tenantId);
    expect(await slack.clients.getClient(tenantId)).toBe(client);
    const res = await client.chat.postMessage({ channel: 'C123ABC456', text: 'hello' });
    expect(res.ok).toBe(true);
    expect(auths).toEqual([`Bearer ${install.access_token}`]);
    expect(await rateLimited()).toBe(1);
    const log = lines.find((l) => l.includes('slack rate limited the call'));
    expect(log).toBeDefined();
    expect(JSON.parse(log as string)).toMatchObject({
      method: 'chat.postMessage',
      retryAfterSec: 1,
      tenantId,
    });
    expect(lines.join('')).not.toContain(install.access_token);
  });

  it("counts rate limits on Bolt's own client too, which also uses SLACK_API_URL", async () => {
    const before = await rateLimited();
    nock(SLACK_API).post('/api/chat.postMessage').reply(429, '', { 'retry-after': '1' });
    nock(SLACK_API).post('/api/chat.postMessage').reply(200, posted);
    const res = await slack.app.client.chat.postMessage({
      token: install.access_token,
      channel: 'C1',
      text: 'hi',
    });
    expect(res.ok).toBe(true);
    expect(await rateLimited()).toBe(before + 1);
  });

  it('refuses a client for a tenant whose tokens were removed by an uninstall', async () => {
    await tenants.lifecycle.appUninstalled({
      key: { kind: 'team', teamId: install.team.id },
      actor: 'slack',
    });
    await expect(slack.clients.getClient(tenantId)).rejects.toMatchObject({ code: 'not_installed' });
  });
});
