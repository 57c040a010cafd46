import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoActivity } from '../../src/tenants/demo/demo-activity.js';
import { buildPdf } from '../support/document-fixtures.js';
import { createTenant } from '../support/factories.js';
import { startTestApp } from '../support/test-app.js';
import { launchBrowser, openContext, screenshot, VIEWPORTS, type ViewportName } from './support/browser.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const XSS_TITLE = '<img src=x onerror=alert(1)> Expenses';

describe('the dashboard in headless Chromium against the real server (embedded defaults)', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let documentId = '';

  const shoot = (name: string, viewport: ViewportName = 'laptop') => screenshot(page, name, viewport);
  const heading = (name: string) => page.getByRole('heading', { level: 1, name });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ context, page, problems } = await openContext(browser, app.url, 'laptop'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('sends a visitor to the sign-in page, and the dev sign-in opens the demo workspace', async () => {
    await page.goto('/');
    await page.waitForURL('**/app/sign-in');
    // Embedded defaults have no Slack app: the page says what Sign in with Slack needs.
    await page.getByText('Sign in with Slack needs a Slack app').waitFor();
    await shoot('sign-in');
    await page.getByRole('button', { name: /Dev sign-in/ }).click();
    await heading('Overview').waitFor();
    expect(await page.locator('.workspace-name').textContent()).toBe('Demo workspace');
    await page.getByText('Questions this month').waitFor();
    await shoot('overview');
  });

  it('is keyboard accessible: the first Tab reaches "Skip to content", which moves focus to the page', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  });

  it('has a workspace menu in the header that opens from the keyboard and offers "Add another workspace"', async () => {
    const toggle = page.getByRole('button', { name: /^Demo workspace\s*: switch workspace$/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const menu = page.getByRole('region', { name: 'Workspaces' });
    const add = menu.getByRole('link', { name: 'Add another workspace' });
    expect(await add.getAttribute('href')).toBe('/auth/slack/login');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Add another workspace');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const focusedControls = await page.evaluate('document.activeElement?.getAttribute("aria-controls")');
    expect(focusedControls).toBe(await toggle.getAttribute('aria-controls'));
  });

  it('uploads a PDF and a hostile Markdown file, showing progress until both are ready', async () => {
    await nav('Documents');
    await heading('Documents').waitFor();
    const pdf = await buildPdf(
      [
        {
          heading: 'Travel policy',
          paragraphs: [
            'Book flights through the travel desk at least 14 days ahead.',
            'Economy class is the default for flights under six hours; business class above that.',
          ],
        },
        {
          heading: 'Expenses',
          paragraphs: ['Submit receipts within 30 days. Meals are reimbursed up to 60 euros per day.'],
        },
      ],
      { title: 'Travel and expenses' },
    );
    const markdown = `# ${XSS_TITLE}\n\n<script>alert(2)</script>\n\nReceipts go to finance@example.com within a week.\n`;
    await page.getByTestId('file-input').setInputFiles([
      { name: 'travel.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'expenses.md', mimeType: 'text/markdown', buffer: Buffer.from(markdown) },
    ]);
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await uploads.getByText('travel.pdf').waitFor();
    await uploads
      .locator('.upload-item', { hasText: 'travel.pdf' })
      .getByText('Ready')
      .waitFor({ timeout: 60_000 });
    await uploads
      .locator('.upload-item', { hasText: 'expenses.md' })
      .getByText('Ready')
      .waitFor({ timeout: 60_000 });
    const row = page.getByRole('row', { name: /Travel and expenses/ });
    await row.getByText('Ready').waitFor();
    // Whatever title the hostile file got is shown as text: nothing it contains ran (no dialog, no page error).
    const list = await (await context.request.get('/api/documents?search=expenses.md')).json();
    const hostile = list.items.find((d: { sourceName: string }) => d.sourceName === 'expenses.md');
    expect(hostile.title).toContain('Expenses');
    await page.getByRole('link', { name: hostile.title, exact: true }).waitFor();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    await shoot('documents');
    documentId = (await row.getByRole('link').first().getAttribute('href'))?.split('/').pop() ?? '';
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('finds documents by search', async () => {
    await page.getByPlaceholder('Search by title or file name').fill('travel');
    await page.getByRole('row', { name: /Getting started/ }).waitFor({ state: 'detached' });
    expect(await page.getByRole('row', { name: /Travel and expenses/ }).count()).toBe(1);
  });

  it('opens a document at a cited passage (/app/documents/:id#chunk-n): passages, versions, the target highlighted', async () => {
    await page.goto(`/app/documents/${documentId}#chunk-0`);
    await heading('Travel and expenses').waitFor();
    const target = page.locator('#chunk-0');
    await target.waitFor();
    expect(await target.getAttribute('class')).toContain('chunk-target');
    expect(await page.locator('.chunk').count()).toBeGreaterThan(0);
    await page.getByText('v1').first().waitFor();
    await shoot('document');
  });

  it('asks in the playground and shows the answer as Slack would, with cited sources', async () => {
    await nav('Ask playground');
    await page.getByLabel('Your question').fill('How far ahead should I book flights?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const message = page.getByLabel('Answer as shown in Slack');
    await message.waitFor();
    expect(await message.textContent()).toContain('14 days');
    expect(await message.locator('.cite').count()).toBeGreaterThan(0);
    // In the dashboard a source opens the admin's document view; the Slack message links to the member view.
    const source = page.locator('table.sources').getByRole('link', { name: 'Travel and expenses' });
    await source.waitFor();
    expect(await source.getAttribute('href')).toMatch(new RegExp(`/app/documents/${documentId}#chunk-\\d+$`));
    await shoot('ask');
  });

  it('changes a setting, and it is still set after a reload', async () => {
    await nav('Settings');
    await heading('Settings').waitFor();
    await page.getByLabel('Detailed: steps and context').check();
    await page.getByLabel('Extra instructions').fill('Answer in British English.');
    await page.getByRole('button', { name: 'Save answer style' }).click();
    await page.getByText('Answer style saved.').waitFor();
    await page.reload();
    await heading('Settings').waitFor();
    expect(await page.getByLabel('Detailed: steps and context').isChecked()).toBe(true);
    expect(await page.getByLabel('Extra instructions').inputValue()).toBe('Answer in British English.');
    await page.getByPlaceholder('Name, e.g. wiki sync').fill('wiki sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    expect(await page.getByTestId('new-api-key').textContent()).toMatch(/^lore_/);
    await shoot('settings');
  });

  it('loads the usage charts over the chosen period (demo activity added to the demo workspace)', async () => {
    const tenantId = (await (await context.request.get('/api/session')).json()).workspace.tenantId;
    expect(await seedDemoActivity(app.container.db, tenantId)).toBeGreaterThan(50);
    await nav('Usage');
    await heading('Usage').waitFor();
    await page.getByRole('heading', { name: 'Questions per day' }).waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(6);
    await page.getByRole('button', { name: '7 days' }).click();
    await page.getByRole('button', { name: '7 days', pressed: true }).waitFor();
    await page.getByRole('button', { name: '30 days' }).click();
    await page.locator('.chart canvas').first().waitFor();
    await shoot('usage');
    await nav('Overview');
    await page.getByText('Helpful votes').waitFor();
    await shoot('overview-activity');
    const csv = await context.request.get('/api/usage.csv');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^day,questions,answered/);
  });

  it('shows conversations, the knowledge-gap inbox and the audit log', async () => {
    await nav('Conversations');
    await page.locator('.conversation').first().waitFor();
    await shoot('conversations');
    await nav('Knowledge gaps');
    await page.locator('.gap').first().waitFor();
    await shoot('gaps');
    await nav('Audit log');
    await page.getByRole('cell', { name: 'settings.updated' }).first().waitFor();
    await shoot('audit');
  });

  it('loads the operator view: tenants, totals and the active-tenants chart', async () => {
    await createTenant(app.container.db, { slackTeamId: 'T0ACME0001', name: 'Acme Robotics' });
    await createTenant(app.container.db, { slackTeamId: 'T0GLOBEX01', name: 'Globex Support' });
    await nav('Operator view');
    await heading('Operator view').waitFor();
    await page.getByRole('row', { name: /Demo workspace/ }).waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(1);
    await shoot('operator');
  });

  it('works at phone width: the menu opens as a drawer and every page renders', async () => {
    const phone = await openContext(browser, app.url, 'phone', await context.storageState());
    const p = phone.page;
    for (const [name, path] of [
      ['overview', '/app'],
      ['documents', '/app/documents'],
      ['document', `/app/documents/${documentId}`],
      ['ask', '/app/ask'],
      ['usage', '/app/usage'],
      ['conversations', '/app/conversations'],
      ['gaps', '/app/gaps'],
      ['settings', '/app/settings'],
      ['audit', '/app/audit'],
      ['operator', '/app/operator'],
    ] as const) {
      await p.goto(path);
      await p.locator('h1').first().waitFor();
      await p
        .locator('.state-loading')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => {});
      const width = await p.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, `${name} is wider than the phone`).toBeLessThanOrEqual(VIEWPORTS.phone.width);
      await screenshot(p, name, 'phone');
    }
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Usage' }).click();
    await p.getByRole('heading', { level: 1, name: 'Usage' }).waitFor();
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it('signs out, after which the dashboard asks to sign in again', async () => {
    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL('**/app/sign-in?signedOut=1');
    await page.getByText('You are signed out.').waitFor();
    await page.goto('/app/settings');
    await page.waitForURL('**/app/sign-in');
    expect(problems).toEqual([]);
  });
});
