import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';
import { devSignIn, launchBrowser, openContext, screenshot } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('API keys, retention, audit export and the health view in the dashboard (headless Chromium, real server)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ page, problems } = await openContext(browser, app.url, 'laptop'));
    await devSignIn(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('creates a key with chosen scopes and expiry (shown once), then rotates it with a grace period', async () => {
    await page.goto('/app/settings');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByPlaceholder('Name, e.g. wiki sync').fill('helpdesk bot');
    await page.getByLabel('Read documents').uncheck();
    await page.getByLabel('Upload and delete documents').uncheck();
    await page.getByLabel('Ask questions (POST /api/ask)').check();
    await page.getByLabel('Expiry').selectOption({ label: 'Expires in 90 days' });
    await page.getByRole('button', { name: 'Create key' }).click();
    const first = (await page.getByTestId('new-api-key').textContent()) ?? '';
    expect(first).toMatch(/^lore_/);
    const row = page.locator('tr', { hasText: 'helpdesk bot' });
    expect(await row.textContent()).toContain('Ask questions (POST /api/ask)');
    expect(await row.getByText('Active').count()).toBe(1);
    await page.getByRole('button', { name: 'Done' }).click();

    await row.getByRole('button', { name: 'Rotate' }).click();
    await page
      .getByRole('dialog')
      .getByRole('combobox')
      .selectOption({ label: 'Keep the old key for 24 hours' });
    await page.getByRole('button', { name: 'Issue new key' }).click();
    const second = (await page.getByTestId('new-api-key').textContent()) ?? '';
    expect(second).toMatch(/^lore_/);
    expect(second).not.toBe(first);
    await page.getByText(/Rotated: works until/).waitFor();
    await screenshot(page, 'api-keys', 'laptop');
    // Both work during the grace period; only the ask scope is granted.
    for (const key of [first, second]) {
      const res = await fetch(`${app.url}/api/documents`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(403);
    }
  });

  it('saves a retention period, and the audit log offers a CSV export with its filters', async () => {
    await page.getByLabel('Delete after 90 days').check();
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Retention saved.').waitFor();
    await page.goto('/app/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/audit\.csv/);
  });

  it('the operator view shows the health card from real checks, waiting jobs by type, and discards a failed job', async () => {
    // A job that fails for good and two that wait on purpose, in the app's own queue.
    await app.container.queue.enqueue('nightly-report', { n: 1 }, { attempts: 1 });
    for (const n of [1, 2]) await app.container.queue.enqueue('digest', { n }, { delayMs: 600_000 });
    // A workspace that has never had a question answered: first among the quietest.
    await createTenant(app.container.db, { slackTeamId: 'TE2EQUIET', name: 'Northwind' });
    await page.goto('/app/operator');
    await page.getByRole('heading', { level: 1, name: 'Operator view' }).waitFor();
    const health = page.locator('.health-view');
    await health.waitFor();
    expect(await health.locator('.health-checks li').allTextContents()).toEqual([
      'OK database',
      'OK migrations',
      'OK redis',
      'OK queue',
    ]);
    const digest = health.locator('.health-depth tbody tr', { hasText: 'digest' });
    expect(await digest.locator('td').allTextContents()).toEqual(['digest', '2', 'delayed only']);
    expect(await health.locator('.health-quiet li').allTextContents()).toEqual(['Northwind: never answered']);
    const failed = health.locator('.health-jobs li', { hasText: 'nightly-report' });
    await failed.waitFor();
    await health.scrollIntoViewIfNeeded();
    await screenshot(page, 'operator-health', 'laptop');

    await failed.getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this failed job?' });
    expect(await dialog.textContent()).toContain('nightly-report');
    await dialog.getByRole('button', { name: 'Discard job' }).click();
    await page.getByText('The failed nightly-report job was discarded.').waitFor();
    await failed.waitFor({ state: 'detached' });
    expect(await app.container.queue.failed()).toEqual([]);
    expect(problems).toEqual([]);
  });
});
