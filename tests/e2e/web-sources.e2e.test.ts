import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { html, htmlPage, startWebSite } from '../support/web-site.js';
import { devSignIn, launchBrowser, openContext, screenshot } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe('followed web pages in the dashboard (headless Chromium, real server and worker, a site on loopback)', () => {
  let app: TestApp;
  let site: Awaited<ReturnType<typeof startWebSite>>;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    site = await startWebSite({
      '/handbook/travel': html(htmlPage('Travel', 'Book flights fourteen days ahead.')),
      '/handbook/expenses': html(htmlPage('Expenses', 'Submit receipts within thirty days.')),
    });
    site.routes['/sitemap.xml'] = (_q, r) =>
      r
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.origin}/handbook/travel</loc></url><url><loc>${site.origin}/handbook/expenses</loc></url></urlset>`,
        );
    // Loopback is refused in production; the test site lives there.
    app = await startTestApp({ WEB_FETCH_ALLOW_PRIVATE: 'true' });
    browser = await launchBrowser();
    ({ page, problems } = await openContext(browser, app.url, 'laptop'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
    await site?.close();
  });

  it('adds a sitemap, lists it once with its last fetch, and stops following it while its pages stay', async () => {
    await devSignIn(page);
    await page
      .getByRole('link', { name: /Documents/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();

    await page.getByLabel('Web page or sitemap URL').fill(`${site.origin}/sitemap.xml`);
    await page.getByLabel('What the URL is').selectOption('sitemap');
    await page.getByRole('button', { name: 'Add web page' }).click();
    const followedCard = () =>
      page.locator('section.card', { has: page.getByRole('heading', { name: 'Followed web pages' }) });
    const followed = followedCard();
    const row = followed.locator('tr', { hasText: `${site.origin}/sitemap.xml` });
    await row.waitFor();
    // The sitemap's pages are documents, not rows of their own here.
    expect(await followed.locator('tbody tr').count()).toBe(1);
    await page.reload();
    await row.getByText('Fetched').waitFor({ timeout: 30_000 });
    await page.getByRole('cell', { name: 'Travel' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'web-sources', 'laptop');

    await row.getByRole('button', { name: 'Stop following' }).click();
    await page
      .getByRole('dialog', { name: 'Stop following this URL?' })
      .getByRole('button', { name: 'Stop following' })
      .click();
    await page.getByText(`Stopped following ${site.origin}/sitemap.xml.`).waitFor();
    // The notice shows as soon as the request succeeds; the list refetches after it, so wait for the card to go.
    await followedCard().waitFor({ state: 'detached', timeout: 10_000 });
    expect(await followedCard().count()).toBe(0);
    expect(await page.getByRole('cell', { name: 'Travel' }).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
