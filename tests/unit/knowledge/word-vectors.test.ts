import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPackageVectors, writeWordVectors } from '../../../scripts/build-word-vectors.js';
import {
  DIMENSIONS,
  readWordVectors,
  tableCosine,
  WORD_VECTORS_DIR,
  wordCosine,
} from '../../../src/knowledge/retrieval/word-vectors.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'word-vectors-'));

describe('word vectors (data/word-vectors)', () => {
  it('puts words of one meaning close and unrelated words far', () => {
    expect(wordCosine('sunday', 'weekend')).toBeGreaterThan(0.85);
    expect(wordCosine('laptop', 'laptops')).toBeGreaterThan(0.8);
    expect(wordCosine('salary', 'parking') as number).toBeLessThan(0.4);
    expect(wordCosine('holiday', 'holiday')).toBeCloseTo(1, 6);
    // Words outside the table (the rarest, and non-words) have no vector.
    expect(wordCosine('payslip', 'salary')).toBeNull();
    expect(wordCosine('sunday', 'qwxzv')).toBeNull();
  });

  it('holds as many rows of bytes as words', () => {
    const table = readWordVectors(WORD_VECTORS_DIR);
    expect(table.vectors.length).toBe(table.index.size * DIMENSIONS);
    expect(table.index.get('the')).toBe(0);
  });
});

describe('building and reading the data set', () => {
  // A file shaped like the package's: "vectors" maps each word to 100 values, its norm and its rank.
  const vec = (first: number, second = 0) => [first, second, ...Array(98).fill(0), 5, 0];
  const packageFile = () => {
    const file = path.join(tempDir(), 'v.json');
    const vectors = { the: vec(3, 4), '"': vec(2), café: vec(-4), last: vec(1) };
    writeFileSync(file, JSON.stringify({ precision: 8, size: 4, words: Object.keys(vectors), vectors }));
    return file;
  };

  it('streams the first words of the package as unit vectors, whatever the read size', () => {
    const file = packageFile();
    for (const chunkBytes of [7, 1 << 20]) {
      const { words, vectors } = readPackageVectors(file, 3, chunkBytes);
      expect(words).toEqual(['the', '"', 'café']);
      expect(vectors.length).toBe(300);
      expect(vectors[0]).toBeCloseTo(0.6, 6);
      expect(vectors[1]).toBeCloseTo(0.8, 6);
      expect(vectors[200]).toBe(-1);
    }
  });

  it('writes words.txt and vectors.bin that read back to the same words and cosines', () => {
    const dir = tempDir();
    writeWordVectors(dir, readPackageVectors(packageFile(), 10));
    expect(readFileSync(path.join(dir, 'words.txt'), 'utf8')).toBe('the\n"\ncafé\nlast\n');
    const bytes = new Int8Array(readFileSync(path.join(dir, 'vectors.bin')));
    expect(bytes.length).toBe(400);
    // Each row scaled so its largest component is ±127.
    expect([bytes[0], bytes[1], bytes[200]]).toEqual([95, 127, -127]);
    const table = readWordVectors(dir);
    expect([...table.index.entries()]).toEqual([
      ['the', 0],
      ['"', 1],
      ['café', 2],
      ['last', 3],
    ]);
    expect(table.norms[1]).toBe(127);
    // Cosines as the float vectors give them: "the" (0.6, 0.8), "café" (-1, 0), '"' (1, 0).
    expect(tableCosine(table, 0, 2)).toBeCloseTo(-0.6, 2);
    expect(tableCosine(table, 1, 2)).toBe(-1);
    expect(tableCosine(table, 3, 3)).toBe(1);
  });

  it('refuses a vectors.bin that does not match words.txt', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'words.txt'), 'one\ntwo\n');
    writeFileSync(path.join(dir, 'vectors.bin'), new Uint8Array(DIMENSIONS));
    expect(() => readWordVectors(dir)).toThrow(/2 words but 100 bytes/);
  });
});
