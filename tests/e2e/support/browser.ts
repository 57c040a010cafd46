import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const VIEWPORTS = {
  laptop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

const SCREENSHOTS = path.resolve('test-results/screenshots');

/** Headless Chromium with no network beyond what the page asks for (the test server on 127.0.0.1). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser context for one viewport that fails the test on any uncaught page error or script dialog
 * (an XSS payload that ran would open one), collecting them in `problems`.
 */
export async function openContext(
  browser: Browser,
  baseURL: string,
  viewport: ViewportName,
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: 1,
    isMobile: viewport === 'phone',
    hasTouch: viewport === 'phone',
    storageState,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return { context, page, problems };
}

/** Saves a full-page screenshot as test-results/screenshots/<name>-<viewport>.png (a CI artifact). */
export async function screenshot(page: Page, name: string, viewport: ViewportName): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let charts and fonts settle: wait for the network to go quiet, then for the next two frames.
  await page.waitForLoadState('networkidle').catch(() => {});
  // Sticky bars are drawn where the page is scrolled to: start full-page shots from the top.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${viewport}.png`), fullPage: true });
}

/** Signs in as the demo workspace's admin (the embedded default's dev sign-in) and waits for the Overview. */
export async function devSignIn(page: Page): Promise<void> {
  await page.goto('/app/sign-in');
  await page.getByRole('button', { name: /Dev sign-in/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}
