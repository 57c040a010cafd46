import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { devSignIn, launchBrowser, openContext, screenshot } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('collection settings in the dashboard (headless Chromium, real server)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ page, problems } = await openContext(browser, app.url, 'laptop'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('adds a collection, maps a channel to it with instructions, and refuses to delete it while the channel uses it', async () => {
    await devSignIn(page);
    await page.getByRole('link', { name: /Collections/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Collections' }).waitFor();
    // The demo workspace is not installed in Slack: the picker says why it shows no names.
    await page
      .getByText('Lore is not installed in this workspace, so channel names cannot be read.')
      .waitFor();
    expect(await page.locator('tr', { hasText: 'Everyone' }).getByText('Default').count()).toBe(1);

    await page.getByLabel('Name', { exact: true }).fill('HR');
    await page.getByRole('button', { name: 'Add collection' }).click();
    await page.getByText('Created “HR”.', { exact: false }).waitFor();

    await page.getByLabel('Find a channel').fill('C0HRTEAM1');
    await page.getByLabel('HR', { exact: true }).check();
    await page.getByLabel('Instructions in this channel (tone, audience)').fill('Audience: managers.');
    await page.getByRole('button', { name: 'Save channel' }).click();
    await page.getByText('Saved C0HRTEAM1.').waitFor();
    const mapped = page.locator('.plain-list li', { hasText: 'C0HRTEAM1' });
    expect(await mapped.textContent()).toContain('HR');
    expect(await mapped.textContent()).toContain('Audience: managers.');
    await screenshot(page, 'collections', 'laptop');

    // An upload can go straight into a collection (the default is preselected).
    await page
      .getByRole('link', { name: /Documents/ })
      .first()
      .click();
    const target = page.getByLabel('Add to collection');
    expect(await target.locator('option:checked').textContent()).toBe('Everyone');
    await target.selectOption({ label: 'HR' });
    await page.getByTestId('file-input').setInputFiles({
      name: 'parental-leave.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Parental leave\n\nManagers approve parental leave within five days.\n'),
    });
    await page.locator('.upload-item', { hasText: 'parental-leave.md' }).getByText('Ready').waitFor();
    const stored = await app.container.db.pool.query(
      `SELECT c.name FROM lore.documents d JOIN lore.collections c ON c.id = d.collection_id
       WHERE d.source_name = 'parental-leave.md'`,
    );
    expect(stored.rows).toEqual([{ name: 'HR' }]);
    await page.getByRole('link', { name: /Collections/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Collections' }).waitFor();

    await page.locator('tr', { hasText: 'HR' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete collection' }).click();
    await page
      .getByText('"HR" is still used by C0HRTEAM1: choose other collections for that channel first.')
      .waitFor();
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  });
});
