import type { Server } from 'node:http';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { notInstalled, unavailable } from '../../src/errors.js';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp } from '../../src/slack/slack-app.js';
import type { InstallationService } from '../../src/tenants/installations/installations.service.js';
import { createTenantServices } from '../../src/tenants/tenant-services.js';
import { appMentionFor, postSlackEvent, SLACK_ENV } from '../support/slack.js';

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** Just Lore's Slack router on a port, with the installation lookups replaced where a test says so. */
async function slackOnly(env: Record<string, string>, find?: InstallationService['find']): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', ...SLACK_ENV, ...env });
  const logger = createLogger({ level: 'silent' });
  const kv = createMemoryStore({ logger });
  // Nothing in these tests reaches the database: lookups are replaced, and the install step never reads it.
  const db = {} as Database;
  const queue = createMemoryQueue({ logger });
  const tenants = createTenantServices({
    db,
    kv,
    queue,
    logger,
    cipher: createCipherBox(config.encryptionKeys),
  });
  const installations = find ? { ...tenants.installations, find } : tenants.installations;
  const slack = createSlackApp({
    config,
    logger,
    kv,
    db,
    queue,
    metrics: createMetrics(),
    installations,
    lifecycle: tenants.lifecycle,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = express()
      .use(slack.router)
      .listen(0, () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('Slack receiver edge cases', () => {
  it('SLACK_DIRECT_INSTALL=true: /slack/install sends the browser straight to Slack, with the state cookie set', async () => {
    const url = await slackOnly({ SLACK_DIRECT_INSTALL: 'true' });
    const res = await fetch(`${url}/slack/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://slack.com/oauth/v2/authorize');
    const state = location.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(res.headers.getSetCookie()).toEqual([
      expect.stringContaining(`slack-app-oauth-state=${state}; Secure; HttpOnly`),
    ]);
  });

  it('an event whose installation cannot be read (database down) gets 500, so Slack retries it', async () => {
    const url = await slackOnly({}, async () => {
      throw unavailable('connection refused');
    });
    const res = await postSlackEvent(url, appMentionFor({ teamId: 'T9TK3CUKW' }));
    expect(res.status).toBe(500);
  });

  it('an event for a workspace with no installation gets 200, not the 401 Bolt would send', async () => {
    const url = await slackOnly({}, async () => {
      throw notInstalled('none');
    });
    expect((await postSlackEvent(url, appMentionFor({ teamId: 'T9TK3CUKW' }))).status).toBe(200);
    const nullUrl = await slackOnly({}, async () => null);
    expect((await postSlackEvent(nullUrl, appMentionFor({ teamId: 'T9TK3CUKW' }))).status).toBe(200);
  });
});
