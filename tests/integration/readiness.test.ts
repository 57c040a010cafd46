import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf } from '../support/http.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('/readyz when a dependency is down', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it('fails with 503 and names the database when Postgres is unreachable, while /healthz stays up', async () => {
    // Port 9 (discard) on loopback: nothing listens, so every connection is refused at once.
    app = await startTestApp({
      DATABASE_URL: 'postgresql://lore:pw@127.0.0.1:9/lore',
      SLACK_SIGNING_SECRET: 'readiness-signing-secret',
      SLACK_STATE_SECRET: 'readiness-state-secret',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    });
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await bodyOf(res)).toEqual({
      status: 'not_ready',
      checks: { database: 'failing', migrations: 'failing', redis: 'ok', queue: 'ok' },
    });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('fails with 503 once the embedded database has gone away', async () => {
    app = await startTestApp();
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    await app.container.db.close();
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
    expect((await bodyOf(res)).checks.database).toBe('failing');
  });
});
