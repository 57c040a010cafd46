import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVectors, wordCosine } from '../../../src/knowledge/retrieval/word-vectors.js';

// The first test reads the vector table (about 20 MB from the package, once per process).
describe('word vectors', () => {
  it('puts words of one meaning close and unrelated words far', { timeout: 30_000 }, () => {
    expect(wordCosine('sunday', 'weekend')).toBeGreaterThan(0.85);
    expect(wordCosine('laptop', 'laptops')).toBeGreaterThan(0.8);
    expect(wordCosine('salary', 'parking') as number).toBeLessThan(0.4);
    // Words outside the table (the rarest, and non-words) have no vector.
    expect(wordCosine('payslip', 'salary')).toBeNull();
    expect(wordCosine('sunday', 'qwxzv')).toBeNull();
  });
});

describe('reading the vector file', () => {
  it('keeps the first words as unit vectors, whatever the read size', () => {
    const vec = (first: number) => [first, ...Array(99).fill(0), 5, 0];
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'vectors-')), 'v.json');
    const vectors = { the: vec(3), '"': vec(2), café: vec(-4), last: vec(1) };
    writeFileSync(file, JSON.stringify({ precision: 8, size: 4, words: Object.keys(vectors), vectors }));
    for (const chunkBytes of [7, 1 << 20]) {
      const table = readVectors(file, 3, chunkBytes);
      expect([...table.index.keys()]).toEqual(['the', '\\"', 'café']);
      expect(table.vectors.length).toBe(300);
      expect(table.vectors[0]).toBe(1);
      expect(table.vectors[200]).toBe(-1);
    }
  });
});
