import type { Page } from 'playwright-core';

/** What has the keyboard focus, as a keyboard or screen-reader user would tell it apart. */
export interface Focused {
  tag: string;
  text: string;
  label: string | null;
  testId: string | null;
  inNav: boolean;
  inDialog: boolean;
  /** The focus indicator's outline style ('none' when nothing shows where focus is). */
  outline: string;
}

export function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(`(() => {
    const el = document.activeElement ?? document.body;
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').replace(/\\s+/g, ' ').trim(),
      label: el.getAttribute('aria-label'),
      testId: el.getAttribute('data-testid'),
      inNav: Boolean(el.closest('nav[aria-label="Main"]')),
      inDialog: Boolean(el.closest('dialog[open]')),
      outline: getComputedStyle(el).outlineStyle,
    };
  })()`);
}

/**
 * Presses Tab, as a keyboard-only user would, until the focused element is the one wanted; fails when it
 * is not reached within `max` presses (it is not in the Tab order, or something before it traps focus).
 */
export async function tabTo(
  page: Page,
  what: string,
  wanted: (f: Focused) => boolean,
  max = 60,
): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (wanted(f)) return f;
  }
  throw new Error(`${max} presses of Tab never reached ${what}`);
}
