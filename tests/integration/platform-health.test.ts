import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { type Browser, createTenant, devSignIn, sessionFor } from '../support/dashboard.js';
import type { JsonBody } from '../support/http.js';
import { SLACK_ENV } from '../support/slack.js';
import { signedPost } from '../support/slack-answers.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('GET /api/platform/health: the operator health view, from real checks and counters', () => {
  let app: TestApp;
  let operator: Browser;

  const health = async (): Promise<JsonBody> => {
    const res = await operator.json('/api/platform/health');
    expect(res.status).toBe(200);
    return res.body;
  };
  const until = async (probe: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('condition never held');
  };

  beforeAll(async () => {
    app = await startTestApp(SLACK_ENV);
    operator = await devSignIn(app.url);
  });
  afterAll(() => app.cleanup());

  it('runs the readiness checks and shows the queue', async () => {
    const body = await health();
    expect(body.checks.map((c: JsonBody) => [c.name, c.ok])).toEqual([
      ['database', true],
      ['migrations', true],
      ['redis', true],
      ['queue', true],
    ]);
    expect(body.queue).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
      completed: expect.any(Number),
    });
  });

  it('counts failed documents by reason', async () => {
    const form = new FormData();
    form.append('file', new Blob(['\n \n'], { type: 'text/plain' }), 'blank.txt');
    const up = await operator.json('/api/documents', { method: 'POST', body: form });
    const id = up.body.results[0].document.id;
    let reason = '';
    await until(async () => {
      const doc = (await operator.json(`/api/documents/${id}`)).body.document;
      reason = doc.errorReason ?? '';
      return doc.status === 'failed';
    });
    const body = await health();
    expect(body.ingestionFailures).toContainEqual({ reason, documents: 1 });
  });

  it("shows Slack deliveries and the share that failed, from this process's /metrics", async () => {
    const before = (await health()).slackDeliveries.total;
    for (const challenge of ['a', 'b', 'c']) {
      const res = await signedPost(
        app.url,
        JSON.stringify({ type: 'url_verification', challenge, token: 't' }),
      );
      expect(res.status).toBe(200);
    }
    const after = (await health()).slackDeliveries;
    expect(after.total).toBe(before + 3);
    expect(after.failed).toBe(0);
    expect(after.errorRate).toBe(0);
  });

  it('lists failed jobs without their payload, and retries one', async () => {
    await app.container.queue.enqueue('no-such-job', { question: 'the secret merger plan' }, { attempts: 1 });
    await until(async () => (await health()).failedJobs.some((j: JsonBody) => j.name === 'no-such-job'));
    const body = await health();
    const job = body.failedJobs.find((j: JsonBody) => j.name === 'no-such-job');
    expect(job).toMatchObject({ attempts: 1, error: expect.stringContaining('no-such-job') });
    expect(body.failedByJob).toContainEqual({ name: 'no-such-job', count: 1 });
    expect(JSON.stringify(body)).not.toContain('secret merger');
    const retried = await operator.json(`/api/platform/health/failed-jobs/${job.id}/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(202);
    expect(
      (await operator.json('/api/platform/health/failed-jobs/nope/retry', { method: 'POST' })).status,
    ).toBe(404);
  });

  it('is for operators only: a workspace admin and an API key are refused', async () => {
    const tenantId = await createTenant(app.container.db, 'THEALTH01', 'Health');
    const admin = await sessionFor(app.url, app.container.db, { tenantId, userId: 'UADMIN' });
    expect((await admin.json('/api/platform/health')).status).toBe(403);
    const { key } = await createApiKey(app.container.db, tenantId, {
      name: 'k',
      actor: 'test',
      scopes: ['ask'],
    });
    const res = await fetch(`${app.url}/api/platform/health`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(403);
  });
});
