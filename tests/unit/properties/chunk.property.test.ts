import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../../src/knowledge/ingestion/chunk.js';
import type { Block, ParsedDocument } from '../../../src/knowledge/ingestion/parse/document.js';
import { countTokens, decodeTokens, encodeTokens } from '../../../src/knowledge/ingestion/tokens.js';

/** No lone surrogate (with the u flag, a surrogate pair is one code point and does not match). */
const wellFormed = (s: string) => !/[\uD800-\uDFFF]/u.test(s);

// Words a document is made of: plain English, long compounds, numbers and URLs, accents, CJK, emoji (several
// tokens per character), right-to-left text, and any unicode at all.
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('the', 'leave', 'policy', 'expenses', 'VPN', 'reimbursed', '25') },
  { weight: 1, arbitrary: fc.constantFrom('Überstundenausgleich', 'naïve', 'café', 'résumé') },
  { weight: 1, arbitrary: fc.constantFrom('有给休假', '経費精算', '🎉', '👩‍👩‍👧‍👦', 'مرحبا', 'שלום') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('https://intranet.example.com/policies/leave?x=1', 'a1b2c3d4e5f6'),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) },
  // Any code point, but well-formed: a lone surrogate cannot be written as UTF-8 (parsers never produce one).
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter(wellFormed) },
);
const punctuation = fc.constantFrom(' ', ' ', ' ', '. ', ', ', '! ', '? ', '\n', ' — ');
const paragraph = fc
  .array(fc.tuple(word, punctuation), { minLength: 1, maxLength: 120 })
  .map((parts) => parts.map(([w, p]) => w + p).join(''));
// Sometimes one very long unbroken run (a pasted hash, a line of base64, 2,000 emoji).
const longRun = fc
  .tuple(fc.constantFrom('x', 'é', '経', '🎉', 'ab '), fc.integer({ min: 200, max: 1500 }))
  .map(([s, n]) => s.repeat(n));
const block: fc.Arbitrary<Block> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('heading' as const),
      level: fc.integer({ min: 1, max: 4 }),
      text: paragraph.map((p) => [...p].slice(0, 60).join('')),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('text' as const), text: paragraph }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), text: longRun }) },
);
const documentArb: fc.Arbitrary<ParsedDocument> = fc.record({
  title: fc.string({ maxLength: 40 }).filter(wellFormed),
  blocks: fc.array(block, { minLength: 0, maxLength: 12 }),
});
const options = fc.record({
  maxTokens: fc.integer({ min: 16, max: 500 }),
  overlapTokens: fc.integer({ min: 0, max: 120 }),
});

/** The characters of `text` that are not white space, in order. */
const ink = (text: string) => [...text.replace(/\s+/gu, '')];

/** Whether `needle` occurs in `hay` in order (not necessarily next to each other). */
function isSubsequence(needle: string[], hay: string[]): boolean {
  let j = 0;
  for (const ch of hay) if (j < needle.length && ch === needle[j]) j++;
  return j === needle.length;
}

describe('chunking properties (fast-check)', () => {
  it('every chunk is within the token bound, counted exactly, non-empty and numbered in order', () => {
    fc.assert(
      fc.property(documentArb, options, (doc, opts) => {
        const chunks = chunkDocument(doc, opts);
        const bound = Math.max(16, opts.maxTokens);
        chunks.forEach((c, i) => {
          expect(c.ordinal).toBe(i);
          expect(c.content.trim()).not.toBe('');
          expect(c.tokenCount).toBe(countTokens(c.content));
          expect(c.tokenCount).toBeLessThanOrEqual(bound);
        });
      }),
      {
        numRuns: 100,
        // Found by CI: this emoji family, cut loose after a space, encodes to 18 tokens from a 17-token slice.
        examples: [
          [
            {
              title: '',
              blocks: [
                {
                  kind: 'heading',
                  level: 1,
                  text: 'https://intranet.example.com/policies/leave?x=1 👩‍👩‍👧‍👦 Über',
                },
              ],
            },
            { maxTokens: 17, overlapTokens: 8 },
          ],
        ],
      },
    );
  });

  it("the chunks hold every character of the document's text, in order, none altered", () => {
    fc.assert(
      fc.property(documentArb, options, (doc, opts) => {
        const chunks = chunkDocument(doc, opts);
        const text = ink(
          doc.blocks
            .filter((b) => b.kind === 'text')
            .map((b) => b.text)
            .join(' '),
        );
        const all = ink(chunks.map((c) => c.content).join(' '));
        if (text.length > 0) expect(chunks.length).toBeGreaterThan(0);
        // Overlap repeats text, so the document's text is a subsequence of the chunks, not equal to them.
        expect(isSubsequence(text, all)).toBe(true);
        // Nothing appears that the document did not have (a character cut in half decodes to U+FFFD).
        const source = new Set(ink(doc.blocks.map((b) => b.text).join(' ')));
        expect(all.filter((ch) => !source.has(ch))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic: the same document and options give the same chunks', () => {
    fc.assert(
      fc.property(documentArb, options, (doc, opts) => {
        expect(chunkDocument(structuredClone(doc), opts)).toEqual(chunkDocument(doc, opts));
      }),
      { numRuns: 60 },
    );
  });
});

describe('token slices decode on their own', () => {
  it("the bytes of a character cut at the end of one slice never turn up in the next text's decode", () => {
    const tokens = encodeTokens('🎉');
    expect(tokens.length).toBeGreaterThan(1);
    // The first byte token alone: one cut character (U+FFFD), and nothing is left over for the next call.
    expect(decodeTokens(tokens.slice(0, 1))).toBe('\uFFFD');
    expect(decodeTokens(encodeTokens('another tenant'))).toBe('another tenant');
    expect(decodeTokens(tokens.slice(1))).toMatch(/^\uFFFD+$/);
    expect(decodeTokens(encodeTokens('x'))).toBe('x');
  });
});
