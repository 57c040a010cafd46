import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.js';
import { dashboardStaticRoutes } from '../../src/http/routes/dashboard-static.routes.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createLogger } from '../../src/logger.js';

async function serve(distDir: string): Promise<{ url: string; server: Server }> {
  const app = createHttpApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics(),
    readiness: [],
    isShuttingDown: () => false,
    routers: [dashboardStaticRoutes({ distDir })],
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('the built dashboard at /app', () => {
  let dir: string;
  let built: { url: string; server: Server };
  let missing: { url: string; server: Server };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lore-dist-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(
      path.join(dir, 'index.html'),
      '<!doctype html><div id="root"></div><script src="/app/assets/app-1a2b.js"></script>',
    );
    await writeFile(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)');
    built = await serve(dir);
    missing = await serve(path.join(dir, 'nope'));
  });
  afterAll(async () => {
    await Promise.all([built, missing].map((s) => new Promise((r) => s.server.close(r))));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the app at /app and answers deep links (a citation to /app/documents/:id) with the same page', async () => {
    for (const p of ['/app', '/app/', '/app/documents/3f1c/chunks', '/app/settings']) {
      const res = await fetch(`${built.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a long cache, and a missing asset as a 404 (never the HTML)', async () => {
    const js = await fetch(`${built.url}/app/assets/app-1a2b.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    const gone = await fetch(`${built.url}/app/assets/app-old.js`);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/json/);
  });

  it('redirects / to /app and sends a strict Content-Security-Policy with the page', async () => {
    const root = await fetch(`${built.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app');
    const page = await fetch(`${built.url}/app`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('explains how to build the dashboard when dashboard/dist is missing', async () => {
    const res = await fetch(`${missing.url}/app/usage`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build --workspace dashboard');
  });
});
