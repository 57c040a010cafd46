import { describe, expect, it } from 'vitest';
import type { CitedPassage } from '../../../src/ai/answers.repo.js';
import { buildSourcesModal } from '../../../src/slack/blocks/sources-modal.js';

const passage = (over: Partial<CitedPassage>): CitedPassage => ({
  position: 1,
  documentId: '0b6d1a57-1111-4222-8333-444455556666',
  title: 'Travel policy',
  section: 'Rail',
  pageStart: null,
  pageEnd: null,
  ordinal: 0,
  content: 'Trips under 300 km go by train.',
  versionAddedAt: new Date('2026-11-30T23:30:00Z'),
  ...over,
});
const texts = (view: ReturnType<typeof buildSourcesModal>) =>
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are JSON documents.
  view.blocks.flatMap((b: any) => (b.text ? [b.text.text] : (b.elements ?? []).map((e: any) => e.text)));

describe('the "View sources" modal', () => {
  it('names pages when the document has them, and says when a cited passage is gone', () => {
    const view = buildSourcesModal(
      'Do short trips go by train?',
      [
        passage({ pageStart: 3, pageEnd: 4 }),
        passage({ position: 2, documentId: null, ordinal: null, content: null, versionAddedAt: null }),
      ],
      (p) => (p.documentId ? `https://lore.example.com/app/documents/${p.documentId}` : null),
    );
    const t = texts(view);
    expect(t).toContain('pp. 3–4 · version added 30 Nov 2026');
    expect(t).toContain('*[2]* *Travel policy — Rail*');
    expect(t).toContain(
      '_This passage is no longer in the knowledge base (the document was changed or deleted)._',
    );
  });

  it('stays within Slack limits: at most 20 citations, each passage under 3,000 characters, no ping or link from a passage', () => {
    const long = `<!channel> <https://evil.example|click> ${'Trains are booked by the desk. '.repeat(200)}`;
    const view = buildSourcesModal(
      'trains',
      Array.from({ length: 30 }, (_, i) => passage({ position: i + 1, content: long })),
      () => null,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(texts(view).filter((x: string) => x.startsWith('*[')).length).toBe(20);
    for (const x of texts(view)) expect(x.length).toBeLessThanOrEqual(3_000);
    expect(JSON.stringify(view)).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(JSON.stringify(view)).toContain('&lt;https://evil.example|click&gt;');
  });
});
