import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { launchBrowser, openContext, screenshot } from './support/browser.js';

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
    await page.goto('/app/sign-in');
    await page.getByRole('button', { name: /Dev sign-in/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
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

  it('the operator view shows the health card from real checks', async () => {
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
    await health.scrollIntoViewIfNeeded();
    await screenshot(page, 'operator-health', 'laptop');
    expect(problems).toEqual([]);
  });
});
