import { parseHTML } from 'linkedom';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/**
 * Renders a component to HTML as the server would, and parses that HTML back into a document, so a test
 * can ask what a person (or a screen reader) would find on the page rather than match markup strings.
 */
export function render(element: ReactElement): { html: string; body: HTMLElement } {
  const html = renderToStaticMarkup(element);
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return { html, body: document.body as unknown as HTMLElement };
}

/** The text of each element matching `selector`, whitespace folded. */
export function texts(root: ParentNode, selector: string): string[] {
  return [...root.querySelectorAll(selector)].map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
}
