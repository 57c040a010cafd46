import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalIPv4, rawRequest } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
const portOf = (app: TestApp) => (app.server.address() as AddressInfo).port;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describe('what an embedded Lore exposes beyond this machine (M4, L3)', () => {
  let local: TestApp;
  let open: TestApp;
  let outside: string | undefined;

  beforeAll(async () => {
    // Embedded defaults (dev sign-in, loopback binding) are what is under test, on every run.
    local = await startTestApp({}, { pglite: true });
    // HOST set on purpose: every interface, so a non-loopback peer can try.
    open = await startTestApp({ HOST: '0.0.0.0', METRICS_TOKEN }, { pglite: true });
    outside = await externalIPv4();
  });
  afterAll(async () => {
    await local.cleanup();
    await open.cleanup();
  });

  const devSignIn = (app: TestApp, address: string, host: string) =>
    rawRequest({
      address,
      port: portOf(app),
      method: 'POST',
      path: '/auth/dev-sign-in',
      host,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

  it('listens on loopback only on embedded defaults, and where HOST says when it is set', () => {
    expect((local.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect((open.server.address() as AddressInfo).address).toBe('0.0.0.0');
  });

  it('refuses dev sign-in and the admin endpoint under a foreign Host header (DNS rebinding)', async () => {
    const port = portOf(local);
    const rebound = await devSignIn(local, '127.0.0.1', `rebind.attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('own host name');
    expect(rebound.body).not.toContain('lore_session');
    const token = JSON.parse(await readFile(path.join(local.dataDir, 'server.json'), 'utf8')).token;
    const admin = await rawRequest({
      address: '127.0.0.1',
      port,
      method: 'POST',
      path: '/admin/cli',
      host: `rebind.attacker.example:${port}`,
      headers: { 'content-type': 'application/json', 'x-admin-token': token },
      body: JSON.stringify({ argv: ['tenants', 'list'] }),
    });
    expect(admin.status).toBe(403);
    expect(admin.body).not.toContain('Demo workspace');
    // Loopback names still work.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await devSignIn(local, '127.0.0.1', host)).status).toBe(200);
    }
  });

  it('refuses dev sign-in from a peer that is not this machine, even under a good Host', async (ctx) => {
    if (!outside) return ctx.skip();
    const res = await devSignIn(open, outside, `localhost:${portOf(open)}`);
    expect(res.status).toBe(403);
    expect(res.body).toContain('only available from this machine');
    expect((await devSignIn(open, '127.0.0.1', `localhost:${portOf(open)}`)).status).toBe(200);
  });

  it('refuses dev sign-in relayed by a local tunnel (loopback peer, forwarding headers)', async () => {
    const res = await rawRequest({
      address: '127.0.0.1',
      port: portOf(local),
      method: 'POST',
      path: '/auth/dev-sign-in',
      host: 'localhost',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('/metrics answers loopback only without METRICS_TOKEN', async (ctx) => {
    expect(
      (await rawRequest({ address: '127.0.0.1', port: portOf(local), path: '/metrics', host: 'localhost' }))
        .status,
    ).toBe(200);
    if (!outside) return ctx.skip();
    const far = await startTestApp({ HOST: '0.0.0.0' }, { pglite: true });
    try {
      const res = await rawRequest({ address: outside, port: portOf(far), path: '/metrics', host: outside });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('lore_http_request_duration_seconds');
    } finally {
      await far.cleanup();
    }
  });

  it('/metrics with METRICS_TOKEN needs it as a bearer token, from anywhere', async () => {
    const address = outside ?? '127.0.0.1';
    const get = (headers: Record<string, string>) =>
      rawRequest({ address, port: portOf(open), path: '/metrics', host: 'localhost', headers });
    const none = await get({});
    expect(none.status).toBe(401);
    expect(none.body).not.toContain('lore_http_request_duration_seconds');
    expect((await get({ authorization: 'Bearer wrong' })).status).toBe(401);
    const ok = await get({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('lore_http_request_duration_seconds');
  });
});
