import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../src/infra/db/transaction.js';
import { insertCollection } from '../../src/knowledge/collections/collections.repo.js';
import { moveDocuments } from '../../src/knowledge/documents.repo.js';
import { createReaderSession } from '../../src/tenants/access/reader-sessions.js';
import { addReadyDocument, rowsOf } from '../support/slack-answers.js';
import { startTestApp } from '../support/test-app.js';
import { launchBrowser, openContext, screenshot, type ViewportName } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** An element's computed background, read in the page (this project compiles without DOM types). */
// biome-ignore lint/suspicious/noExplicitAny: the page's window and element.
const BACKGROUND = (el: any) => (globalThis as any).getComputedStyle(el).backgroundColor as string;

/** A handbook of 60 short sections: more passages than one page of the member view shows. */
const HANDBOOK = `# Handbook\n\n${Array.from(
  { length: 60 },
  (_, i) =>
    `## Section ${i + 1}\n\nRule ${i + 1}, about &lt;img src=x onerror=alert(1)&gt; tags: ${'the team keeps this rule in mind at all times. '.repeat(30)}\n`,
).join('\n')}`;

describe('the member view in headless Chromium (real server; a member signed in with a reader session)', () => {
  let app: TestApp;
  let browser: Browser;
  let tenantId = '';
  const docs: Record<string, string> = {};

  const documentId = async (name: string) =>
    String((await rowsOf(app, 'SELECT id FROM lore.documents WHERE source_name = $1', [name]))[0]?.id);

  /** A browser of a member who signed in with Slack (the reader cookie a sign-in sets, path /read). */
  async function memberPage(
    viewport: ViewportName,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const opened = await openContext(browser, app.url, viewport);
    const id = await createReaderSession(app.container.kv, {
      tenantIds: [tenantId],
      slackUserId: 'U0MEMBER1',
      userName: 'Member',
    });
    await opened.context.addCookies([{ name: 'lore_reader', value: id, url: `${app.url}/read` }]);
    return opened;
  }

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    tenantId = String((await rowsOf(app, 'SELECT id FROM lore.tenants WHERE is_demo'))[0]?.id);
    await addReadyDocument(app, tenantId, 'handbook.md', HANDBOOK);
    await addReadyDocument(
      app,
      tenantId,
      'salaries.md',
      '# Salaries\n\nThe salary bands are confidential to HR.\n',
    );
    docs.handbook = await documentId('handbook.md');
    docs.salaries = await documentId('salaries.md');
    await withTenant(app.container.db, tenantId, async (c) => {
      const hr = (await insertCollection(c, tenantId, { name: 'HR', description: '' })) as string;
      await moveDocuments(c, [docs.salaries as string], hr);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('opens a cited passage outlined, read-only, and pages to earlier passages', async () => {
    const { page, problems } = await memberPage('laptop');
    const total = Number(
      (await rowsOf(app, 'SELECT chunk_count AS n FROM lore.documents WHERE id = $1', [docs.handbook]))[0]?.n,
    );
    expect(total).toBeGreaterThan(45);
    const res = await page.goto(`/read/documents/${docs.handbook}?chunk=45#chunk-45`);
    expect(res?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Handbook');
    const cited = page.locator('section#chunk-45');
    await cited.waitFor();
    expect(await cited.evaluate(BACKGROUND)).toBe('rgb(242, 248, 253)');
    expect(await page.locator('section#chunk-44').evaluate(BACKGROUND)).toBe('rgba(0, 0, 0, 0)');
    expect(await cited.textContent()).toContain(`passage 46 of ${total}`);
    // Passages are text, never markup: the <img onerror> in them shows as written and did not run
    // (openContext records any dialog as a problem).
    expect(await cited.textContent()).toContain('about <img src=x onerror=alert(1)> tags');
    expect(await page.locator('img').count()).toBe(0);
    // No form, no button: there is nothing to change here.
    expect(await page.locator('form, button, input').count()).toBe(0);
    await screenshot(page, 'member-view', 'laptop');

    await page.getByRole('link', { name: '← Earlier passages' }).click();
    await page.waitForURL(/\?chunk=\d+#chunk-\d+$/);
    const target = Number(new URL(page.url()).hash.replace('#chunk-', ''));
    expect(target).toBeLessThan(45);
    await page.locator(`section#chunk-${target}`).waitFor();
    expect(problems).toEqual([]);
  });

  it('shows a member the same "not available" page for a document outside their collections', async () => {
    const { page, problems } = await memberPage('phone');
    const res = await page.goto(`/read/documents/${docs.salaries}`);
    expect(res?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This source is not available to you' }).waitFor();
    expect(await page.content()).not.toContain('salary bands');
    await screenshot(page, 'member-view-not-available', 'phone');
    expect(problems).toEqual([]);
  });
});
