import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../src/http/csv.js';

/** A strict RFC 4180 reader (quoted cells, doubled quotes, CRLF rows), to read back what toCsv wrote. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
    i++;
  }
  return rows;
}

const FORMULA = /^[=+\-@\t\r]/;
const cellText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('=1+1', '+SUM(A1)', '-2', '@cmd', '\t=x', '\r\n', '"', '","', 'a\nb'),
);

describe('CSV export (property-based)', () => {
  it('reads back exactly, row for row, with formula-like text defused by a leading quote', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cellText, { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
        const back = readCsv(toCsv(['a', 'b'], rows));
        expect(back[0]).toEqual(['a', 'b']);
        expect(back.slice(1)).toEqual(rows.map((r) => r.map((s) => (FORMULA.test(s) ? `'${s}` : s))));
      }),
    );
  });

  it('never lets a string cell start with a formula character once read', () => {
    fc.assert(
      fc.property(cellText, (s) => {
        const [[cell]] = readCsv(`${csvCell(s)}\r\n`) as [[string]];
        expect(FORMULA.test(cell)).toBe(false);
      }),
    );
  });
});
