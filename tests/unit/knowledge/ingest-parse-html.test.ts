import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import { IngestError } from '../../../src/knowledge/ingestion/ingest-error.js';
import { parseDocument } from '../../../src/knowledge/ingestion/parse/parse-document.js';

const APPROVAL = 'Trips need approval from your manager before you book them. '.repeat(5).trim();
const FLIGHTS =
  'Fly economy on flights shorter than six hours. Longer flights may be booked in premium economy.';

const PAGE = `<!doctype html>
<html>
<head>
  <title>Travel Policy</title>
  <style>body { color: red } .secret-style {}</style>
  <script>window.stealCookies = function () { return 'script-text'; };</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/about">About the intranet</a> <a href="/jobs">Open jobs</a></nav>
  <main>
    <article>
      <h1>Travel Policy</h1>
      <p onclick="alert('handler-text')">${APPROVAL}</p>
      <h2>Flights</h2>
      <p>${FLIGHTS}</p>
      <script>var inlineScriptText = 1;</script>
      <ul><li>Book at least two weeks ahead</li><li>Keep every receipt<ul><li>Upload them the same week</li></ul></li></ul>
      <h2>Hotels</h2>
      <p>Hotels up to 150 euros per night.<iframe src="https://example.com/frame">frame-text</iframe></p>
      <table><tr><th>City</th><th>Nightly limit</th></tr><tr><td>Paris</td><td>200 euros</td></tr></table>
    </article>
  </main>
  <footer>Copyright 2026 Example Corp. Privacy notice. Cookie settings.</footer>
</body>
</html>`;

describe('parseDocument: HTML', () => {
  it('keeps the article: headings, paragraphs, lists and tables', async () => {
    const doc = await parseDocument(Buffer.from(PAGE), 'text/html', 'travel.html');
    expect(doc.title).toBe('Travel Policy');
    expect(doc.blocks).toEqual([
      { kind: 'text', text: APPROVAL },
      { kind: 'heading', level: 2, text: 'Flights' },
      { kind: 'text', text: FLIGHTS },
      {
        kind: 'text',
        text: '- Book at least two weeks ahead\n- Keep every receipt\n  - Upload them the same week',
      },
      { kind: 'heading', level: 2, text: 'Hotels' },
      { kind: 'text', text: 'Hotels up to 150 euros per night.' },
      { kind: 'text', text: 'City | Nightly limit\nParis | 200 euros' },
    ]);
  });

  it('never lets navigation, footer, scripts, styles, frames or event handlers into the text', async () => {
    const doc = await parseDocument(Buffer.from(PAGE), 'text/html', 'travel.html');
    const all = [doc.title, ...doc.blocks.map((b) => b.text)].join('\n');
    for (const leaked of [
      'About the intranet',
      'Copyright',
      'stealCookies',
      'script-text',
      'inlineScriptText',
      'secret-style',
      'handler-text',
      'onclick',
      'frame-text',
    ]) {
      expect(all).not.toContain(leaked);
    }
  });

  it('chunks an HTML page by its sections', async () => {
    const chunks = chunkDocument(await parseDocument(Buffer.from(PAGE), 'text/html', 'travel.html'));
    expect(chunks.map((c) => c.section)).toEqual(['', 'Flights', 'Hotels']);
    expect(chunks.every((c) => c.title === 'Travel Policy')).toBe(true);
  });

  it('reads a bare fragment without <html> or <title>, titled by its first heading', async () => {
    const doc = await parseDocument(
      Buffer.from('<h2>Printer setup</h2><p>Add the printer from the settings page.</p>'),
      'text/html',
      'printer.htm',
    );
    expect(doc.title).toBe('Printer setup');
    expect(doc.blocks.map((b) => b.text)).toEqual([
      'Printer setup',
      'Add the printer from the settings page.',
    ]);
  });

  it('a page with nothing but scripts and styles fails with empty_document', async () => {
    const html =
      '<html><head><title>App</title><script>boot()</script></head><body><div id="root"></div></body></html>';
    const err = await parseDocument(Buffer.from(html), 'text/html', 'app.html').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).reason).toBe('empty_document');
    expect((err as IngestError).message).toMatch(/no text/);
  });
});
