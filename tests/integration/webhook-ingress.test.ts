import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { webhookIngress, webhooksFirst } from '../../src/http/webhook-ingress.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createLogger } from '../../src/logger.js';

/**
 * The server's listener runs a webhook's handlers without Express's dispatch. What a caller would notice if
 * it went wrong: a request answered differently than through Express (no helpers, an error never answered,
 * another path swallowed).
 */
describe('webhooks before Express (webhooksFirst)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(...handlers: express.RequestHandler[]) {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logs = { text: () => lines.join('') };
    const logger = createLogger({ level: 'info', destination });
    const metrics = createMetrics({ queueCounts: async () => ({}), brokenInstallations: async () => 0 });
    const hook = webhookIngress({ logger, metrics }, '/hook', ...handlers);
    const app = createHttpApp({
      logger,
      metrics,
      readiness: [],
      isShuttingDown: () => false,
      ingress: [hook],
    });
    server = createServer(webhooksFirst(app, [hook]));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, logs };
  }

  it("gives the handlers Express's request and response helpers, and records the delivery's duration", async () => {
    const { url } = await serve((req, res) => {
      res.status(202).json({ got: req.get('x-test'), json: req.is('application/json') });
    });
    const res = await fetch(`${url}/hook?a=1`, {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ got: 'yes', json: 'application/json' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /lore_http_request_duration_seconds_count\{method="POST",route="\/hook",status="202"\} 1/,
    );
  });

  it('answers an error a handler throws, passes on or rejects with as the app does (500 JSON), and logs it', async () => {
    const failures: express.RequestHandler[] = [
      () => {
        throw new Error('thrown');
      },
      (_req, _res, next) => next(new Error('passed on')),
      async () => {
        throw new Error('rejected');
      },
    ];
    for (const failing of failures) {
      const { url, logs } = await serve(failing);
      const res = await fetch(`${url}/hook`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: { code: 'internal' } });
      expect(logs.text()).toContain('webhook handler failed');
      expect(logs.text()).toContain('webhook delivery failed');
      await new Promise((resolve) => server?.close(resolve));
    }
  });

  it('leaves every other request to the app: another method, another path', async () => {
    const { url } = await serve((_req, res) => void res.status(200).end());
    expect((await fetch(`${url}/hook`)).status).toBe(404);
    expect((await fetch(`${url}/hooks`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
