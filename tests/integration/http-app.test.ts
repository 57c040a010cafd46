import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { bodyOf } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('HTTP app on embedded defaults', () => {
  let app: TestApp;
  let release: () => void = () => {};
  const slowGate = new Promise<void>((resolve) => {
    release = resolve;
  });

  beforeAll(async () => {
    const extra = Router();
    extra.get('/test/boom', () => {
      throw new Error('connection to db.internal:5432 failed with password hunter2');
    });
    extra.get('/test/app-error', () => {
      throw new AppError({ code: 'limit_exceeded', message: 'Your plan allows 50 documents', status: 403 });
    });
    extra.get('/test/slow', async (_req, res) => {
      await slowGate;
      res.json({ finished: true });
    });
    app = await startTestApp({}, { extraRouters: [extra] });
  });
  afterAll(() => app.cleanup());

  it('/healthz says the process is up, with a request id and security headers', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps a sane caller request id and replaces an unsafe one', async () => {
    const kept = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'req-123' } });
    expect(kept.headers.get('x-request-id')).toBe('req-123');
    const replaced = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': '<script>' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('<script>');
  });

  it('/readyz reports every dependency ready', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', redis: 'ok', queue: 'ok' },
    });
  });

  it('/metrics exposes Prometheus metrics labelled by route pattern, never by tenant', async () => {
    await fetch(`${app.url}/healthz`);
    const res = await fetch(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /lore_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(text).toContain('lore_process_cpu_user_seconds_total');
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('an unexpected error becomes a 500 that leaks neither the message nor a stack', async () => {
    const res = await fetch(`${app.url}/test/boom`);
    expect(res.status).toBe(500);
    const body = await bodyOf(res);
    expect(body).toEqual({
      error: {
        code: 'internal',
        message: expect.stringMatching(/went wrong/),
        requestId: expect.any(String),
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|db\.internal|at .*\.ts/);
  });

  it('an AppError becomes its own status, code and message', async () => {
    const res = await fetch(`${app.url}/test/app-error`);
    expect(res.status).toBe(403);
    expect((await bodyOf(res)).error).toMatchObject({
      code: 'limit_exceeded',
      message: 'Your plan allows 50 documents',
    });
  });

  it('an unknown route gets a JSON 404', async () => {
    const res = await fetch(`${app.url}/nope`);
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error.code).toBe('not_found');
  });

  describe('admin endpoint (the CLI talks to a running embedded server through it)', () => {
    const token = async () =>
      JSON.parse(await readFile(path.join(app.dataDir, 'server.json'), 'utf8')).token as string;
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${app.url}/admin/cli`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    it('writes its handle into DATA_DIR readable only by its owner', async () => {
      const { stat } = await import('node:fs/promises');
      const info = await stat(path.join(app.dataDir, 'server.json'));
      expect(info.mode & 0o077).toBe(0);
    });

    it('refuses a missing or wrong token', async () => {
      expect((await post({ argv: ['tenants', 'list'] })).status).toBe(401);
      const wrong = await post({ argv: ['tenants', 'list'] }, { 'x-admin-token': 'guess' });
      expect(wrong.status).toBe(401);
      expect((await bodyOf(wrong)).error.code).toBe('unauthorized');
    });

    it('runs a command with the right token and returns its output', async () => {
      const res = await post({ argv: ['tenants', 'list'] }, { 'x-admin-token': await token() });
      expect(res.status).toBe(200);
      const body = await bodyOf(res);
      expect(body.exitCode).toBe(0);
      expect(body.output).toContain('Demo workspace');
    });

    it('answers bad input with a clear 400 or 413 and runs nothing', async () => {
      const auth = { 'x-admin-token': await token() };
      const bad = await post({ argv: 'tenants list' }, auth);
      expect(bad.status).toBe(400);
      expect((await bodyOf(bad)).error.message).toMatch(/argv/);
      const notJson = await post('{oops', auth);
      expect(notJson.status).toBe(400);
      const huge = await post({ argv: ['x'.repeat(70_000)] }, auth);
      expect(huge.status).toBe(413);
      // File arguments resolve against the operator's folder, so it must be absolute.
      const relative = await post({ argv: ['tenants', 'list'], cwd: 'some/folder' }, auth);
      expect(relative.status).toBe(400);
      expect(JSON.stringify(await bodyOf(relative))).toContain('must be an absolute path');
    });

    it('reports an unknown command with a non-zero exit code', async () => {
      const res = await post({ argv: ['frobnicate'] }, { 'x-admin-token': await token() });
      const body = await bodyOf(res);
      expect(body.exitCode).toBe(1);
      expect(body.output).toMatch(/unknown command 'frobnicate'/);
    });
  });

  it('graceful shutdown finishes the in-flight request, then stops taking new ones and closes pools', async () => {
    const inFlight = fetch(`${app.url}/test/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const stopping = app.stop();
    await new Promise((r) => setTimeout(r, 100));
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual({ finished: true });
    await stopping;
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    await expect(app.container.db.pool.query('SELECT 1')).rejects.toThrow();
    await expect(readFile(path.join(app.dataDir, 'server.json'))).rejects.toThrow(/ENOENT/);
  });
});
