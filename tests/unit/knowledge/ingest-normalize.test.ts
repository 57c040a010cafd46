import { describe, expect, it } from 'vitest';
import {
  dehyphenate,
  dropRepeatedPageLines,
  normalizeDocument,
  normalizeText,
} from '../../../src/knowledge/ingestion/normalize.js';
import { splitByTokens, tailByTokens } from '../../../src/knowledge/ingestion/tokens.js';

describe('normalizeText', () => {
  it('composes Unicode (NFC), drops control and zero-width characters, unifies line breaks and spaces', () => {
    expect(
      normalizeText('Cre\u0300me\u200b bru\u0302le\u0301e\r\nline\u0000two\rthree\u00a0\u00a0four\tfive'),
    ).toBe('Crème brûlée\nlinetwo\nthree four five');
  });

  it('collapses runs of spaces and blank lines but keeps the indentation of inner lines', () => {
    expect(normalizeText('  if (x) {\n      return   1;   \n\n\n\n  }  ')).toBe(
      'if (x) {\n      return 1;\n\n  }',
    );
  });
});

describe('dehyphenate', () => {
  it('joins a word broken across lines, and leaves real hyphens and capitalised continuations alone', () => {
    expect(dehyphenate('the depart-\nment head')).toBe('the department head');
    expect(dehyphenate('a well-known fact')).toBe('a well-known fact');
    expect(dehyphenate('Anglo-\nSaxon')).toBe('Anglo-\nSaxon');
  });
});

describe('dropRepeatedPageLines', () => {
  it('drops headers and numbered footers repeated on most pages, keeps body lines', () => {
    const pages = [1, 2, 3, 4].map((n) => [
      'ACME Handbook',
      `Body of page ${n} is unique text ${'x'.repeat(n)}.`,
      `Page ${n} of 4`,
    ]);
    expect(dropRepeatedPageLines(pages)).toEqual(
      [1, 2, 3, 4].map((n) => [`Body of page ${n} is unique text ${'x'.repeat(n)}.`]),
    );
  });

  it('leaves documents of one or two pages alone (nothing to compare)', () => {
    const pages = [
      ['Header', 'Body one.'],
      ['Header', 'Body two.'],
    ];
    expect(dropRepeatedPageLines(pages)).toEqual(pages);
  });
});

describe('normalizeDocument', () => {
  it('drops blocks left empty and puts headings and the title on one line', () => {
    const doc = normalizeDocument({
      title: '  Quarterly\n report ',
      pageCount: 2,
      blocks: [
        { kind: 'heading', level: 1, text: 'Results\nfor Q3', page: 1 },
        { kind: 'text', text: ' \u200b \n ', page: 1 },
        { kind: 'text', text: 'Revenue grew.', page: 2 },
      ],
    });
    expect(doc).toEqual({
      title: 'Quarterly report',
      pageCount: 2,
      blocks: [
        { kind: 'heading', level: 1, text: 'Results for Q3', page: 1 },
        { kind: 'text', text: 'Revenue grew.', page: 2 },
      ],
    });
  });
});

describe('token helpers', () => {
  it('splitByTokens cuts between words and keeps every word', () => {
    const text = Array.from({ length: 300 }, (_, i) => `term${i}`).join(' ');
    const pieces = splitByTokens(text, 50);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join(' ').split(' ')).toEqual(text.split(' '));
  });

  it('tailByTokens returns whole trailing words within the budget', () => {
    const tail = tailByTokens('alpha beta gamma delta epsilon zeta', 3);
    expect('alpha beta gamma delta epsilon zeta'.endsWith(tail)).toBe(true);
    expect(tail.split(' ').length).toBeGreaterThan(0);
    expect(tail.startsWith(' ')).toBe(false);
    expect(tailByTokens('anything', 0)).toBe('');
  });
});
