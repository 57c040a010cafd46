import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { touchTenantActivity } from '../../src/tenants/tenants.repo.js';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import type { JsonBody } from '../support/http.js';
import { SLACK_ENV } from '../support/slack.js';
import { signedPost } from '../support/slack-answers.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const until = async (probe: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition never held');
};

describe('GET /api/platform/health: the operator health view, from real checks and counters', () => {
  let app: TestApp;
  let operator: Browser;

  const health = async (): Promise<JsonBody> => {
    const res = await operator.json('/api/platform/health');
    expect(res.status).toBe(200);
    return res.body;
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

  it('discards a failed job: gone from the list, audited, and 404 once gone or for an unknown id', async () => {
    await app.container.queue.enqueue('gone-job', { tenantId: 'x' }, { attempts: 1 });
    await until(async () => (await health()).failedJobs.some((j: JsonBody) => j.name === 'gone-job'));
    const job = (await health()).failedJobs.find((j: JsonBody) => j.name === 'gone-job');
    const failedBefore = (await health()).queue.failed;

    const discarded = await operator.json(`/api/platform/health/failed-jobs/${job.id}/discard`, {
      method: 'POST',
    });
    expect(discarded).toMatchObject({ status: 200, body: { discarded: job.id } });
    const after = await health();
    expect(after.failedJobs.map((j: JsonBody) => j.id)).not.toContain(job.id);
    expect(after.queue.failed).toBe(failedBefore - 1);
    // Neither retried nor discarded twice.
    for (const action of ['discard', 'retry']) {
      const again = await operator.json(`/api/platform/health/failed-jobs/${job.id}/${action}`, {
        method: 'POST',
      });
      expect(again.status).toBe(404);
      expect(again.body.error.message).toMatch(/failed job/i);
    }
    expect(
      (await operator.json('/api/platform/health/failed-jobs/nope/discard', { method: 'POST' })).status,
    ).toBe(404);
    const { rows } = await app.container.db.pool.query(
      `SELECT actor, tenant_id FROM lore.audit_log WHERE action = 'job.discarded' AND target = $1`,
      [job.id],
    );
    expect(rows).toEqual([{ actor: expect.stringMatching(/^operator:/), tenant_id: null }]);
  });

  it('shows jobs waiting by type: delayed ones are counted, without a backlog age', async () => {
    for (const n of [1, 2]) await app.container.queue.enqueue('health-later', { n }, { delayMs: 60_000 });
    const body = await health();
    expect(body.queueDepth).toMatchObject({ sampled: false, sampleSize: 200 });
    expect(body.queueDepth.jobs).toContainEqual({ name: 'health-later', waiting: 2, oldestQueuedAt: null });
  });

  it('lists the active workspaces quiet longest, never-active first, at most 10', async () => {
    const active = (await createTenant(app.container.db, { slackTeamId: 'TQUIET01', name: 'Talks a lot' }))
      .id;
    await touchTenantActivity(app.container.db.pool, active);
    const ids: string[] = [];
    for (let i = 0; i < 11; i++)
      ids.push(
        (await createTenant(app.container.db, { slackTeamId: `TQUIET${10 + i}`, name: `Silent ${i}` })).id,
      );
    const quiet = (await health()).quietTenants as JsonBody[];
    expect(quiet).toHaveLength(10);
    expect(quiet.every((t) => t.lastActivityAt === null)).toBe(true);
    expect(quiet.map((t) => t.id)).not.toContain(active);

    // With fewer silent ones, the active workspace comes after them, with its time.
    await app.container.db.pool.query(`UPDATE lore.tenants SET status = 'inactive' WHERE id = ANY($1)`, [
      ids.slice(0, 10),
    ]);
    const fewer = (await health()).quietTenants as JsonBody[];
    const mine = fewer.filter((t) => t.id === active || ids.includes(t.id));
    expect(mine.map((t) => t.name)).toEqual(['Silent 10', 'Talks a lot']);
    expect(Date.parse(mine[1]?.lastActivityAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('is for operators only: a workspace admin and an API key are refused', async () => {
    const tenantId = (await createTenant(app.container.db, { slackTeamId: 'THEALTH01', name: 'Health' })).id;
    const admin = await sessionFor(app.url, app.container.db, { tenantId, userId: 'UADMIN' });
    expect((await admin.json('/api/platform/health')).status).toBe(403);
    expect((await admin.json('/api/platform/health/failed-jobs/x1/discard', { method: 'POST' })).status).toBe(
      403,
    );
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

describe('GET /api/platform/health: queue depth and age while ingestion is held up', () => {
  let app: TestApp;
  let operator: Browser;
  let release = () => {};

  beforeAll(async () => {
    // One ingestion at a time, and OpenAI's embeddings answer only when the test says so.
    app = await startTestApp({ OPENAI_API_KEY: 'sk-test', INGEST_CONCURRENCY: '1' });
    operator = await devSignIn(app.url);
  });
  afterAll(async () => {
    release();
    await app.cleanup();
  });

  it('counts the documents waiting behind a slow one, and how long the oldest has waited', async () => {
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    nock('https://api.openai.com')
      .persist()
      .post('/v1/embeddings')
      .reply(200, (_uri, body, cb) => {
        const req = body as { model: string; input: string | string[] };
        const inputs = Array.isArray(req.input) ? req.input : [req.input];
        void gate.then(() =>
          cb(null, {
            object: 'list',
            model: req.model,
            data: inputs.map((text, index) => ({
              object: 'embedding',
              index,
              embedding: fakeEmbedding(text),
            })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
    const before = Date.now();
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      const form = new FormData();
      form.append('file', new Blob([`Travel policy ${name}: book trains.`], { type: 'text/plain' }), name);
      expect((await operator.json('/api/documents', { method: 'POST', body: form })).status).toBe(202);
    }
    let depth: JsonBody = {};
    await until(async () => {
      depth = (await operator.json('/api/platform/health')).body.queueDepth;
      return depth.jobs.some((j: JsonBody) => j.name === 'ingest' && j.waiting >= 2);
    });
    const ingest = depth.jobs.find((j: JsonBody) => j.name === 'ingest');
    expect(Date.parse(ingest.oldestQueuedAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Date.parse(ingest.oldestQueuedAt)).toBeLessThanOrEqual(Date.now());
    expect(depth.sampled).toBe(false);

    release();
    await until(async () => {
      const jobs = (await operator.json('/api/platform/health')).body.queueDepth.jobs as JsonBody[];
      return !jobs.some((j) => j.name === 'ingest');
    });
  });
});
