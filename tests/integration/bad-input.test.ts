import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { DEMO_TEAM_ID } from '../../src/tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../src/tenants/tenants.repo.js';
import { type Browser, devSignIn } from '../support/dashboard.js';
import { startSlackTestApp } from '../support/slack.js';

type App = Awaited<ReturnType<typeof startSlackTestApp>>;

// Strings that have broken other apps: SQL and script shapes, unicode edge cases, control characters.
const HOSTILE = [
  "'; DROP TABLE lore.tenants; --",
  '<script>alert(1)</script>',
  '\u0000\u0001\u001f',
  '\ud800',
  '‮gnp.exe',
  '𝕃𝕠𝕣𝕖 👩‍👩‍👧‍👦',
  '%00%2e%2e%2f',
];
const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Expected status and, when given, the error code in the JSON body. */
  status: number;
  code?: string;
  auth?: 'key' | 'session' | 'admin';
}

describe('bad input at the public entry points: a specific 4xx, nothing stored, still serving', () => {
  let app: App;
  let key: string;
  let admin: Browser;
  let adminToken: string;
  let counts: () => Promise<string>;

  beforeAll(async () => {
    app = await startSlackTestApp();
    const demo = await findTenantBySlackId(app.container.db.pool, DEMO_TEAM_ID);
    key = (await createApiKey(app.container.db, demo?.id ?? '', { name: 'bad-input', actor: 'test' })).key;
    admin = await devSignIn(app.url);
    adminToken = JSON.parse(
      await readFile(path.join(app.container.config.dataDir, 'server.json'), 'utf8'),
    ).token;
    counts = async () =>
      JSON.stringify(
        (
          await app.container.db.pool.query(
            `SELECT (SELECT count(*) FROM lore.documents) AS d, (SELECT count(*) FROM lore.tenants) AS t,
                    (SELECT count(*) FROM lore.api_keys) AS k, (SELECT count(*) FROM lore.dashboard_sessions) AS s,
                    (SELECT count(*) FROM lore.installations) AS i`,
          )
        ).rows[0],
      );
  });
  afterAll(() => app.cleanup());

  const json = { 'content-type': 'application/json' };
  const cases: Case[] = [
    // /api with an API key
    {
      name: 'upload that is not multipart',
      method: 'POST',
      path: '/api/documents',
      auth: 'key',
      headers: json,
      body: '{}',
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'upload with a broken multipart body',
      method: 'POST',
      path: '/api/documents',
      auth: 'key',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nnonsense',
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'upload with no file',
      method: 'POST',
      path: '/api/documents',
      auth: 'key',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--\r\n',
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'document id that is SQL',
      method: 'GET',
      path: `/api/documents/${encodeURIComponent(HOSTILE[0] ?? '')}`,
      auth: 'key',
      status: 404,
      code: 'not_found',
    },
    {
      name: 'list query with hostile values',
      method: 'GET',
      path: `/api/documents?sort=${encodeURIComponent('name; --')}&pageSize=-1&status=%3Cscript%3E`,
      auth: 'key',
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'a bearer that is not a key',
      method: 'GET',
      path: '/api/documents',
      headers: { authorization: `Bearer ${HOSTILE[1]}` },
      status: 401,
    },
    {
      name: 'an API key on a dashboard-only route',
      method: 'GET',
      path: '/api/settings',
      auth: 'key',
      status: 403,
      code: 'forbidden',
    },
    // /api with a session
    {
      name: 'settings patch that is not JSON',
      method: 'PATCH',
      path: '/api/settings',
      auth: 'session',
      headers: json,
      body: '{oops',
      status: 400,
    },
    {
      name: 'settings patch nested 5,000 deep',
      method: 'PATCH',
      path: '/api/settings',
      auth: 'session',
      headers: json,
      body: `{"channelMode":${deep(5000)}}`,
      status: 400,
    },
    {
      name: 'settings patch with hostile strings',
      method: 'PATCH',
      path: '/api/settings',
      auth: 'session',
      headers: json,
      body: JSON.stringify({ channelMode: HOSTILE[0], allowedChannelIds: HOSTILE }),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'settings patch over the body limit',
      method: 'PATCH',
      path: '/api/settings',
      auth: 'session',
      headers: json,
      body: JSON.stringify({ allowedChannelIds: Array(20_000).fill('C0123456789') }),
      status: 413,
    },
    {
      name: 'API key named with hostile strings and wrong type',
      method: 'POST',
      path: '/api/api-keys',
      auth: 'session',
      headers: json,
      body: JSON.stringify({ name: { $ne: 1 } }),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'ask as text/plain',
      method: 'POST',
      path: '/api/ask',
      auth: 'session',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
      status: 400,
    },
    {
      name: 'gap id that is not a uuid',
      method: 'PATCH',
      path: '/api/gaps/..%2f..%2fetc',
      auth: 'session',
      headers: json,
      body: '{}',
      status: 404,
    },
    {
      name: 'switch to a workspace that is SQL',
      method: 'POST',
      path: '/api/session/switch',
      auth: 'session',
      headers: json,
      body: JSON.stringify({ tenantId: HOSTILE[0] }),
      status: 400,
    },
    // OAuth and sign-in callbacks
    {
      name: 'install callback with a forged state',
      method: 'GET',
      path: `/slack/oauth_redirect?code=x&state=${encodeURIComponent(HOSTILE[1] ?? '')}`,
      status: 400,
    },
    {
      name: 'sign-in callback with no state',
      method: 'GET',
      path: '/auth/slack/callback?code=x',
      status: 303,
    },
    {
      name: 'sign-in callback with hostile state',
      method: 'GET',
      path: `/auth/slack/callback?code=${encodeURIComponent(HOSTILE[0] ?? '')}&state=${encodeURIComponent(HOSTILE[2] ?? '')}`,
      status: 303,
    },
    {
      name: 'workspace choice that is not JSON',
      method: 'POST',
      path: '/auth/choose',
      headers: json,
      body: '[[[',
      status: 400,
    },
    // /admin/cli
    {
      name: 'admin command nested deep',
      method: 'POST',
      path: '/admin/cli',
      auth: 'admin',
      headers: json,
      body: `{"argv":${deep(5000)}}`,
      status: 400,
    },
    {
      name: 'admin command with hostile argv',
      method: 'POST',
      path: '/admin/cli',
      auth: 'admin',
      headers: json,
      body: JSON.stringify({ argv: [HOSTILE[0], { x: 1 }] }),
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'admin command as a form',
      method: 'POST',
      path: '/admin/cli',
      auth: 'admin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'argv=tenants',
      status: 400,
    },
  ];

  it.each(cases)('$name → $status', async (c) => {
    const before = await counts();
    const headers: Record<string, string> = { ...c.headers };
    if (c.auth === 'key') headers.authorization = `Bearer ${key}`;
    if (c.auth === 'session') {
      headers.cookie = admin.cookie;
      headers['x-csrf-token'] = admin.csrf;
    }
    if (c.auth === 'admin') headers['x-admin-token'] = adminToken;
    const res = await fetch(`${app.url}${c.path}`, {
      method: c.method,
      headers,
      body: c.body,
      redirect: 'manual',
    });
    expect(res.status).toBe(c.status);
    const text = await res.text();
    if (c.code) expect(JSON.parse(text).error.code).toBe(c.code);
    // Nothing echoed back as markup, nothing stored, and the process still serves.
    expect(text).not.toContain('<script>');
    expect(await counts()).toBe(before);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
