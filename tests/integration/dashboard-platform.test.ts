import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, devSignIn, sessionFor } from '../support/dashboard.js';
import { createAnswer, createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('operator view (/api/platform): PLATFORM_ADMINS only, across tenants', () => {
  let app: TestApp;
  let operator: Browser;
  let tenantAdmin: Browser;
  let acme: string;

  beforeAll(async () => {
    app = await startTestApp();
    operator = await devSignIn(app.url);
    acme = (await createTenant(app.container.db, { slackTeamId: 'TACME00001', name: 'Acme Corp' })).id;
    await createTenant(app.container.db, { slackTeamId: 'TGLOBEX001', name: 'Globex' });
    tenantAdmin = await sessionFor(app.url, app.container.db, { tenantId: acme, userId: 'UACMEADMIN' });
    await createAnswer(app.container.db, acme, {
      question: 'q1',
      promptTokens: 500,
      completionTokens: 50,
      costUsd: 0.001,
    });
    await createAnswer(app.container.db, acme, { question: 'q2', promptTokens: 100 });
  });
  afterAll(() => app.cleanup());

  it('is closed to workspace admins (403) and to anyone not signed in (401)', async () => {
    for (const path of ['/api/platform/tenants', '/api/platform/summary', '/api/platform/tenants.csv']) {
      expect((await tenantAdmin.json(path)).status, path).toBe(403);
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(401);
    }
    expect((await tenantAdmin.json(`/api/platform/tenants/${acme}/suspend`, { method: 'POST' })).status).toBe(
      403,
    );
  });

  it('lists every tenant with status, plan, quotas, documents and this month’s usage; searchable', async () => {
    const { status, body } = await operator.json('/api/platform/tenants?sort=questions');
    expect(status).toBe(200);
    expect(body.total).toBe(3);
    expect(body.items[0]).toMatchObject({
      id: acme,
      name: 'Acme Corp',
      slackId: 'TACME00001',
      status: 'active',
      planId: 'free',
      monthlyQuestionQuota: 300,
      questionsThisMonth: 2,
      tokensThisMonth: 650,
      costThisMonthUsd: 0.001,
      quotaOverridden: false,
    });
    expect(body.items[0].lastActivityAt).not.toBeNull();
    const found = await operator.json('/api/platform/tenants?search=glob');
    expect(found.body.items.map((t: { name: string }) => t.name)).toEqual(['Globex']);
    expect((await operator.json('/api/platform/tenants?search=TACME00001')).body.total).toBe(1);
    expect((await operator.json('/api/platform/tenants?status=paused')).status).toBe(400);
  });

  it('suspends and resumes a tenant: its admins are shut out meanwhile, and it is audited', async () => {
    const suspended = await operator.json(`/api/platform/tenants/${acme}/suspend`, { method: 'POST' });
    expect(suspended.body).toEqual({ status: 'suspended', changed: true });
    expect((await tenantAdmin.json('/api/overview')).status).toBe(403);
    expect(
      (await operator.json('/api/platform/tenants?status=suspended')).body.items.map(
        (t: { id: string }) => t.id,
      ),
    ).toEqual([acme]);
    const again = await operator.json(`/api/platform/tenants/${acme}/suspend`, { method: 'POST' });
    expect(again.body.changed).toBe(false);
    expect(
      (await operator.json(`/api/platform/tenants/${acme}/resume`, { method: 'POST' })).body.status,
    ).toBe('active');
    expect((await tenantAdmin.json('/api/overview')).status).toBe(200);
    const audit = await tenantAdmin.json('/api/audit?action=tenant.');
    expect(audit.body.items.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`)).toEqual([
      'tenant.resumed operator:U0LOREDEV',
      'tenant.suspended operator:U0LOREDEV',
    ]);
    expect(
      (
        await operator.json('/api/platform/tenants/00000000-0000-4000-8000-000000000000/suspend', {
          method: 'POST',
        })
      ).status,
    ).toBe(404);
    expect((await operator.json('/api/platform/tenants/not-a-uuid/suspend', { method: 'POST' })).status).toBe(
      404,
    );
  });

  it('changes plan and quotas (the tenant sees the new limits), and refuses an unknown plan or a negative quota', async () => {
    const res = await operator.json(`/api/platform/tenants/${acme}`, {
      method: 'PATCH',
      json: { planId: 'business', monthlyQuestionQuota: 12345 },
    });
    expect(res.status).toBe(204);
    const overview = (await tenantAdmin.json('/api/overview')).body;
    expect(overview.plan.id).toBe('business');
    expect(overview.quotas.questions.limit).toBe(12345);
    expect(overview.quotas.tokens.limit).toBe(50_000_000);
    expect(
      (
        await operator.json(`/api/platform/tenants/${acme}`, {
          method: 'PATCH',
          json: { monthlyQuestionQuota: null },
        })
      ).status,
    ).toBe(204);
    expect((await tenantAdmin.json('/api/overview')).body.quotas.questions.limit).toBe(30000);
    const unknown = await operator.json(`/api/platform/tenants/${acme}`, {
      method: 'PATCH',
      json: { planId: 'platinum' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('platinum');
    expect(
      (
        await operator.json(`/api/platform/tenants/${acme}`, {
          method: 'PATCH',
          json: { monthlyTokenQuota: -1 },
        })
      ).status,
    ).toBe(400);
    expect((await operator.json(`/api/platform/tenants/${acme}`, { method: 'PATCH', json: {} })).status).toBe(
      400,
    );
  });

  it('exports tenants as CSV and sums the platform, with a 30-day chart of active tenants', async () => {
    const csv = await (await operator.fetch('/api/platform/tenants.csv?sort=name')).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,name,slack_id,status,plan,/);
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['Acme Corp', 'Demo workspace', 'Globex']);
    const { body } = await operator.json('/api/platform/summary');
    expect(body.tenants).toEqual({ total: 3, active: 3, suspended: 0, inactive: 0 });
    expect(body.month).toMatchObject({ questions: 2, tokens: 650 });
    expect(body.activeTenantsByDay).toHaveLength(30);
    expect(body.activeTenantsByDay.at(-1)).toEqual({
      day: new Date().toISOString().slice(0, 10),
      tenants: 1,
    });
    expect(body.plans.map((p: { id: string }) => p.id)).toEqual(['free', 'team', 'business']);
  });
});
