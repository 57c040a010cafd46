import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { ensureDemoTenant } from '../../src/tenants/demo/demo-tenant.js';
import { createAnnouncement } from '../../src/tenants/notices/announcements.service.js';
import { claimQuotaWarning } from '../../src/usage/quota-warnings.repo.js';
import { monthKey } from '../../src/usage/quota-warnings.service.js';
import { startTestApp } from '../support/test-app.js';
import { devSignIn, launchBrowser, openContext, screenshot } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('notices in the dashboard (headless Chromium, real server): banners, the plan page, the operator’s tools', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let announcementId = '';

  const banner = (title: string) => page.getByRole('main').locator('section.banner', { hasText: title });

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ page, problems } = await openContext(browser, app.url, 'laptop'));
    const { db } = app.container;
    const demo = (await ensureDemoTenant(db)).tenant;
    // The three kinds of notice: Slack refused the token, the workspace passed 80% of its questions, and an
    // operator announced maintenance.
    await app.container.tenants.health.markBroken({
      tenantId: demo.id,
      errorCode: 'token_revoked',
      method: 'chat.postMessage',
    });
    await withTenant(db, demo.id, (c) =>
      claimQuotaWarning(c, {
        tenantId: demo.id,
        quota: 'questions',
        threshold: 80,
        month: monthKey(new Date()),
        used: 240,
        limit: 300,
      }),
    );
    announcementId = (
      await createAnnouncement(
        app.container,
        {
          level: 'maintenance',
          text: '**Upgrade** on Sunday 02:00-03:00 UTC: answers pause for a few minutes.',
          audience: { kind: 'all' },
          endsAt: new Date(Date.now() + 3_600_000),
          dmAdmins: false,
        },
        'operator:test',
      )
    ).id;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('shows the reinstall, limit and maintenance banners above the page; the announcement can be dismissed for good', async () => {
    await devSignIn(page);

    const broken = banner('Lore has lost access to Slack');
    await broken.waitFor();
    expect(await broken.getAttribute('role')).toBe('alert');
    expect(await broken.getByRole('link', { name: 'Reinstall Lore' }).getAttribute('href')).toMatch(
      /\/slack\/install$/,
    );
    expect(await broken.getByRole('button', { name: 'Dismiss' }).count()).toBe(0);
    const quota = banner("80% of this month's questions used");
    expect(await quota.textContent()).toContain('240 of 300 questions');
    expect(await quota.getByRole('link', { name: 'Compare plans' }).getAttribute('href')).toMatch(
      /\/app\/plans$/,
    );
    const maintenance = banner('Planned maintenance');
    // Markdown's bold, rendered as bold (never as HTML from the text).
    expect(await maintenance.locator('strong', { hasText: 'Upgrade' }).count()).toBe(1);
    await screenshot(page, 'notices', 'laptop');

    await maintenance.getByRole('button', { name: 'Dismiss' }).click();
    await maintenance.waitFor({ state: 'detached' });
    await page.reload();
    await broken.waitFor();
    expect(await banner('Planned maintenance').count()).toBe(0);
    expect(await banner("80% of this month's questions used").count()).toBe(1);
  });

  it('the plan page shows every plan side by side, this workspace’s marked', async () => {
    // The banner links to PUBLIC_URL/app/plans (a placeholder host in tests): open the same page here.
    await page.goto('/app/plans');
    await page.getByRole('heading', { level: 1, name: 'Plans' }).waitFor();
    // The heading renders before the plans are fetched: wait for the table's last column.
    await page.locator('table.plans-table thead th', { hasText: 'Business' }).waitFor();
    const headers = await page.locator('table.plans-table thead th').allTextContents();
    // The demo workspace is on the Team plan.
    expect(headers).toEqual(['Limit', 'Free', 'Team (yours)', 'Business']);
    const questions = await page
      .locator('table.plans-table tbody tr', { hasText: 'Questions a month' })
      .locator('td')
      .allTextContents();
    expect(questions).toEqual(['300', '3,000', '30,000']);
    await screenshot(page, 'plans', 'laptop');
  });

  it('the operator view counts broken installations and composes and ends announcements', async () => {
    await page.goto('/app/operator');
    await page.getByRole('heading', { level: 1, name: 'Operator view' }).waitFor();
    await page.getByRole('heading', { name: 'Broken installations: 1' }).waitFor();
    expect(await page.locator('.card-alert').getByText('token_revoked').count()).toBe(1);

    await page.getByLabel('Level').selectOption('info');
    await page.getByLabel('Text (Markdown)').fill('New: the **Plans** page shows what each plan allows.');
    await page.getByRole('button', { name: 'Announce' }).click();
    await page.getByText('Announcement created.').waitFor();
    const rows = page.locator('.announcement-list li');
    // The notice shows before the list is fetched again: wait for the new row, then count.
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await screenshot(page, 'operator-announcements', 'laptop');

    await rows.filter({ hasText: 'Upgrade' }).getByRole('button', { name: 'End now' }).click();
    await rows.filter({ hasText: 'Upgrade' }).getByText('ended').waitFor();
    const { rows: ended } = await app.container.db.pool.query(
      'SELECT ended_at IS NOT NULL AS ended FROM lore.announcements WHERE id = $1',
      [announcementId],
    );
    expect(ended).toEqual([{ ended: true }]);
    expect(problems).toEqual([]);
  });
});
