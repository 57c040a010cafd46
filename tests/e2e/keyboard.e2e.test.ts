import type { Browser, FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import { devSignIn, launchBrowser, openContext } from './support/browser.js';
import { focused, tabTo } from './support/keyboard.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

// Titles sort after "Getting started with Lore", so sorting by title visibly reorders the list.
const UPLOAD = {
  name: 'zebra.md',
  mimeType: 'text/markdown',
  buffer: Buffer.from('# Zebra crossings\n\nLook both ways.\n'),
};
const TITLES_ASCENDING = `(() => {
  const t = [...document.querySelectorAll('.doc-title')].map((a) => a.textContent.toLowerCase());
  return t.length >= 2 && t.every((x, i) => i === 0 || t[i - 1] <= x);
})()`;

describe('the dashboard with the keyboard alone (headless Chromium, real server)', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const choosers: FileChooser[] = [];

  /** Presses a key and returns the file chooser it opened. */
  async function chooserFrom(key: string): Promise<FileChooser> {
    const before = choosers.length;
    await page.keyboard.press(key);
    await expect.poll(() => choosers.length, { timeout: 10_000 }).toBe(before + 1);
    return choosers[before] as FileChooser;
  }

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    ({ page, problems } = await openContext(browser, app.url, 'laptop'));
    // Listening from the start turns on Playwright's file-chooser interception long before any key press:
    // waiting for the event only at the press raced it (the chooser sometimes opened un-intercepted).
    page.on('filechooser', (c) => choosers.push(c));
    await devSignIn(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.cleanup();
  });

  it('Tab reaches Documents in the main navigation, with a visible focus ring, and Enter opens it', async () => {
    const link = await tabTo(page, 'the Documents link', (f) => f.inNav && f.text.endsWith('Documents'));
    expect(link.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/documents');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Documents' }).getAttribute('aria-current')).toBe('page');
  });

  it('Enter and Space on "Choose files…" open the file chooser, and the chosen file uploads', async () => {
    // Once the list has loaded: the page re-renders when it arrives, and a re-render can take the focus away.
    await page.getByRole('row', { name: /Getting started/ }).waitFor();
    await tabTo(page, 'the upload button', (f) => f.tag === 'button' && f.text === 'Choose files…');
    const onEnter = await chooserFrom('Enter');
    expect(onEnter.isMultiple()).toBe(true);
    const onSpace = await chooserFrom('Space');
    await onSpace.setFiles(UPLOAD);
    await page
      .getByRole('list', { name: 'Uploads' })
      .locator('.upload-item', { hasText: 'zebra.md' })
      .getByText('Ready')
      .waitFor({ timeout: 60_000 });
    await page.getByRole('row', { name: /Zebra crossings/ }).waitFor();
    // The file input behind the button is invisible: the next Tab must not land on it.
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).not.toBe('file-input');
  });

  it('sorts the table from a column header with Enter, and says so with aria-sort', async () => {
    expect(await page.evaluate(TITLES_ASCENDING)).toBe(false);
    const header = await tabTo(
      page,
      'the Title header',
      (f) => f.tag === 'button' && f.text.startsWith('Title'),
    );
    expect(header.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Title' }).waitFor();
    // Polled from here: waitForFunction compiles its predicate in the page, which the dashboard's CSP forbids.
    await expect.poll(() => page.evaluate(TITLES_ASCENDING)).toBe(true);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('title');
    const updated = await tabTo(
      page,
      'the Updated header',
      (f) => f.tag === 'button' && f.text.startsWith('Updated'),
    );
    expect(updated.text).toMatch(/^Updated/);
    await page.keyboard.press('Space');
    await page.locator('th[aria-sort="descending"]', { hasText: 'Updated' }).waitFor();
    expect(await page.locator('th[aria-sort]').count()).toBe(1);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('updated');
  });

  it('opens a delete confirmation with Enter; Escape closes it, deletes nothing and returns focus to Delete', async () => {
    const trigger = await tabTo(
      page,
      'a Delete button',
      (f) => f.tag === 'button' && /^Delete /.test(f.label ?? ''),
    );
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this document?' });
    await dialog.waitFor();
    expect((await focused(page)).inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await focused(page)).label).toBe(trigger.label);
    const title = (trigger.label ?? '').replace(/^Delete /, '');
    expect(await page.getByRole('row', { name: new RegExp(title) }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
