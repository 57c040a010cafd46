import { describe, expect, it } from 'vitest';
import { type ChunkDraft, chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import type { Block, ParsedDocument } from '../../../src/knowledge/ingestion/parse/document.js';
import { countTokens } from '../../../src/knowledge/ingestion/tokens.js';

const h = (level: number, text: string, page?: number): Block => ({ kind: 'heading', level, text, page });
const t = (text: string, page?: number): Block => ({ kind: 'text', text, page });

/** A paragraph of `n` distinct, numbered sentences, so every piece of text can be traced. */
function sentences(prefix: string, n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `${prefix} fact number ${i + 1} is written down here for the record.`,
  ).join(' ');
}

/** Every sentence of the document, to check no text is lost between chunks. */
function allSentences(doc: ParsedDocument): string[] {
  return doc.blocks.filter((b) => b.kind === 'text').flatMap((b) => b.text.split(/(?<=\.) /));
}

const doc = (blocks: Block[], title = 'Handbook'): ParsedDocument => ({ title, blocks });

function expectWellFormed(chunks: ChunkDraft[], maxTokens: number): void {
  chunks.forEach((c, i) => {
    expect(c.ordinal).toBe(i);
    expect(c.content.trim()).not.toBe('');
    expect(c.tokenCount).toBe(countTokens(c.content));
    expect(c.tokenCount).toBeLessThanOrEqual(maxTokens);
  });
}

describe('chunkDocument', () => {
  it('never lets a chunk span two top-level sections, and keeps each heading with its text', () => {
    const d = doc([
      h(1, 'Vacation'),
      t('Take up to 25 days a year.'),
      h(1, 'Expenses'),
      t('Claim within 30 days.'),
    ]);
    const chunks = chunkDocument(d);
    expect(chunks.map((c) => [c.section, c.content])).toEqual([
      ['Vacation', 'Vacation\n\nTake up to 25 days a year.'],
      ['Expenses', 'Expenses\n\nClaim within 30 days.'],
    ]);
    expect(chunks.every((c) => c.title === 'Handbook' && c.pageStart === null && c.pageEnd === null)).toBe(
      true,
    );
  });

  it('sizes chunks by tokens: none above the limit, and the text is all there', () => {
    const d = doc([h(1, 'Policy'), t(sentences('Policy', 40)), t(sentences('Appendix', 25))]);
    const chunks = chunkDocument(d, { maxTokens: 120, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(4);
    expectWellFormed(chunks, 120);
    const joined = chunks.map((c) => c.content).join('\n');
    for (const s of allSentences(d)) expect(joined).toContain(s);
    // Chunks are filled, not fragmented: all but the last are at least half full.
    for (const c of chunks.slice(0, -1)) expect(c.tokenCount).toBeGreaterThan(60);
  });

  it('splits long paragraphs at sentence boundaries', () => {
    const chunks = chunkDocument(doc([t(sentences('Rule', 60))]), { maxTokens: 100, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.content).toMatch(/^Rule fact number \d+/);
      expect(c.content).toMatch(/for the record\.$/);
    }
  });

  it('repeats the end of a chunk (whole sentences, within the overlap) at the start of the next in one section', () => {
    const chunks = chunkDocument(doc([h(1, 'Security'), t(sentences('Security', 40))]), {
      maxTokens: 100,
      overlapTokens: 30,
    });
    expect(chunks.length).toBeGreaterThan(2);
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]?.content ?? '';
      const next = chunks[i]?.content ?? '';
      const nextSentences = next.split(/(?<=record\.) /);
      // The longest run of whole sentences that ends the previous chunk and opens this one.
      let overlap = '';
      for (let k = 1; k <= nextSentences.length; k++) {
        const candidate = nextSentences.slice(0, k).join(' ');
        if (prev.endsWith(candidate)) overlap = candidate;
      }
      expect(overlap).not.toBe('');
      expect(countTokens(overlap)).toBeLessThanOrEqual(30);
      expect(countTokens(overlap)).toBeGreaterThan(10);
    }
  });

  it('overlaps nothing across sections', () => {
    const chunks = chunkDocument(
      doc([h(1, 'A'), t(sentences('Alpha', 6)), h(1, 'B'), t(sentences('Beta', 6))]),
      {
        maxTokens: 400,
        overlapTokens: 60,
      },
    );
    expect(chunks.map((c) => c.section)).toEqual(['A', 'B']);
    expect(chunks[1]?.content).not.toContain('Alpha');
  });

  it('keeps each item of a long list and each row of a long table on its own line', () => {
    const items = Array.from(
      { length: 30 },
      (_, i) => `- Item ${i + 1} of the packing list is a thing to bring.`,
    );
    const chunks = chunkDocument(doc([h(1, 'Packing'), t(items.join('\n'))]), {
      maxTokens: 100,
      overlapTokens: 20,
    });
    expect(chunks.length).toBeGreaterThan(3);
    expectWellFormed(chunks, 100);
    // Every item is whole, on a line of its own, in some chunk (before, the items after the first were joined by spaces).
    const lines = new Set(chunks.flatMap((c) => c.content.split('\n')));
    for (const item of items) expect(lines).toContain(item);
  });

  it('reads long hard-wrapped prose as running text, not as lines to keep', () => {
    const wrapped = sentences('Rule', 60).replace(/(.{60}\S*) /g, '$1\n');
    const chunks = chunkDocument(doc([t(wrapped)]), { maxTokens: 100, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.content).not.toContain('\n');
    const joined = chunks.map((c) => c.content).join(' ');
    expect(joined).toBe(wrapped.replace(/\n/g, ' '));
  });

  it("starts a chunk that begins mid-table with the table's column names, not the tail of the row before", () => {
    const header = '| Level | What is expected |';
    const rows = Array.from(
      { length: 20 },
      (_, i) =>
        `| L${i + 1} | Level ${i + 1} engineers ship work of their level and review the work of others. |`,
    );
    const chunks = chunkDocument(doc([h(1, 'Levels'), t([header, ...rows].join('\n'))]), {
      maxTokens: 100,
      overlapTokens: 30,
    });
    expect(chunks.length).toBeGreaterThan(3);
    expectWellFormed(chunks, 100);
    for (const c of chunks.slice(1)) expect(c.content.split('\n')[0]).toBe(header);
    // Each row whole, once, on its own line.
    const seen = chunks.flatMap((c) => c.content.split('\n')).filter((line) => /^\| L\d/.test(line));
    expect(seen).toEqual(rows);
  });

  it("keeps a long table's rows on their own lines without repeating column names too long for the overlap", () => {
    const header = `| ${Array.from({ length: 12 }, (_, i) => `Column number ${i + 1}`).join(' | ')} |`;
    const rows = Array.from(
      { length: 20 },
      (_, i) => `| L${i + 1} | Level ${i + 1} engineers ship their work. |`,
    );
    const chunks = chunkDocument(doc([t([header, ...rows].join('\n'))]), {
      maxTokens: 100,
      overlapTokens: 20,
    });
    expectWellFormed(chunks, 100);
    expect(chunks.filter((c) => c.content.includes(header))).toHaveLength(1);
    const seen = new Set(chunks.flatMap((c) => c.content.split('\n')));
    for (const row of rows) expect(seen).toContain(row);
  });

  it('cuts a giant sentence without punctuation between words, losing none', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const chunks = chunkDocument(doc([t(words.join(' '))]), { maxTokens: 80, overlapTokens: 0 });
    expectWellFormed(chunks, 80);
    const seen = chunks.flatMap((c) => c.content.split(/\s+/));
    expect(seen).toEqual(words);
  });

  it('keeps the heading path; small subsections share a chunk under their common parent', () => {
    const d = doc([
      h(1, 'Handbook'),
      t('Read this first.'),
      h(2, 'IT'),
      h(3, 'Laptops'),
      t('Laptops are replaced every three years.'),
      h(3, 'Phones'),
      t('Phones are replaced every two years.'),
      h(2, 'Facilities'),
      h(3, 'Parking'),
      t(sentences('Parking', 30)),
    ]);
    const chunks = chunkDocument(d, { maxTokens: 200, overlapTokens: 20 });
    expect(chunks[0]).toMatchObject({ section: '', content: 'Handbook\n\nRead this first.' });
    expect(chunks[1]).toMatchObject({
      section: 'IT',
      content:
        'IT\n\nLaptops\n\nLaptops are replaced every three years.\n\nPhones\n\nPhones are replaced every two years.',
    });
    const parking = chunks.slice(2);
    expect(parking[0]?.content).toMatch(/^Facilities\n\nParking\n\nParking fact number 1 /);
    expect(parking[0]?.section).toBe('Facilities');
    expect(parking.slice(1).every((c) => c.section === 'Facilities > Parking')).toBe(true);
  });

  it('gives each chunk the range of pages its text came from', () => {
    const d = doc([
      h(1, 'Guide', 1),
      t(sentences('One', 3), 1),
      t(sentences('Two', 3), 2),
      h(1, 'Next', 3),
      t('End.', 3),
    ]);
    const chunks = chunkDocument(d);
    expect(chunks.map((c) => [c.section, c.pageStart, c.pageEnd])).toEqual([
      ['Guide', 1, 2],
      ['Next', 3, 3],
    ]);
  });

  it('makes no chunk of a heading with no text, but keeps a heading-only document', () => {
    const chunks = chunkDocument(doc([h(1, 'Intro'), t('Hello there.'), h(1, 'Appendix')]));
    expect(chunks.map((c) => c.content)).toEqual(['Intro\n\nHello there.']);
    expect(chunkDocument(doc([h(1, 'Only a heading')])).map((c) => c.content)).toEqual(['Only a heading']);
    expect(chunkDocument(doc([]))).toEqual([]);
  });

  it('puts nothing in front of the content: title and section stay in their own fields', () => {
    const chunks = chunkDocument(doc([t('Just a sentence.')], 'Some Title'));
    expect(chunks).toEqual([
      {
        ordinal: 0,
        title: 'Some Title',
        section: '',
        pageStart: null,
        pageEnd: null,
        content: 'Just a sentence.',
        tokenCount: 4,
      },
    ]);
  });

  it('counts tokens with cl100k_base (the tokenizer of text-embedding-3-small)', () => {
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('<|endoftext|> is ordinary text here')).toBeGreaterThan(3);
  });
});
