import { existsSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Qrels } from './metrics.js';

/** One corpus document in BEIR's layout. */
export interface BeirDocument {
  _id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
  /** Lore's extension: the exact text that must reach the member or the model (answer evaluation). */
  answer?: string;
}

/** A dataset in BEIR's layout, plus Lore's optional `unanswerable.jsonl` (questions nothing answers). */
export interface BeirDataset {
  name: string;
  corpus: BeirDocument[];
  /** Only the queries judged in qrels/test.tsv, in file order. */
  queries: BeirQuery[];
  qrels: Qrels;
  unanswerable: BeirQuery[];
  /** Documents left out by `maxDocuments` (0 for the whole corpus). */
  omittedDocuments: number;
}

async function readJsonl<T>(file: string): Promise<T[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${path.basename(file)} line ${i + 1} is not JSON`);
      }
    });
}

/** `corpus.jsonl`, or its parts `corpus-NN-of-NN.jsonl` in order. */
async function corpusFiles(dir: string): Promise<string[]> {
  const single = path.join(dir, 'corpus.jsonl');
  if (existsSync(single)) {
    // The held-out sets share the Slack-like corpus: their corpus.jsonl is a one-line file naming it (a
    // plain file in git, not a link, so it reads the same on every checkout): follow it.
    const file = await open(single, 'r');
    const { buffer, bytesRead } = await file.read(Buffer.alloc(1024), 0, 1024, 0).finally(() => file.close());
    const head = buffer.toString('utf8', 0, bytesRead).trim();
    if (bytesRead < 1024 && !head.includes('\n') && head.endsWith('.jsonl')) return [path.resolve(dir, head)];
    return [single];
  }
  const parts = (await readdir(dir)).filter((f) => /^corpus-\d+-of-\d+\.jsonl$/.test(f)).sort();
  if (parts.length === 0) throw new Error(`${dir} has no corpus.jsonl (or corpus-NN-of-NN.jsonl parts)`);
  return parts.map((f) => path.join(dir, f));
}

/** Parses qrels/test.tsv: a header, then `query-id<TAB>corpus-id<TAB>score` lines. */
export function parseQrels(tsv: string): Qrels {
  const qrels: Qrels = new Map();
  for (const [i, line] of tsv.split('\n').entries()) {
    if (!line.trim() || (i === 0 && line.startsWith('query-id'))) continue;
    const [queryId, docId, score] = line.split('\t');
    if (!queryId || !docId || score === undefined || Number.isNaN(Number(score))) {
      throw new Error(`qrels line ${i + 1} is not "query-id<TAB>corpus-id<TAB>score"`);
    }
    const judged = qrels.get(queryId) ?? new Map<string, number>();
    judged.set(docId, Number(score));
    qrels.set(queryId, judged);
  }
  return qrels;
}

/**
 * Loads a BEIR dataset. `maxDocuments` keeps a documented subset for large corpora: every document
 * judged relevant for a test query, then the others in file order up to the limit.
 */
export async function loadBeirDataset(
  dir: string,
  opts: { maxDocuments?: number } = {},
): Promise<BeirDataset> {
  const corpus: BeirDocument[] = [];
  for (const file of await corpusFiles(dir)) corpus.push(...(await readJsonl<BeirDocument>(file)));
  const qrels = parseQrels(await readFile(path.join(dir, 'qrels', 'test.tsv'), 'utf8'));
  const allQueries = await readJsonl<{ _id: string; text: string; answer?: string }>(
    path.join(dir, 'queries.jsonl'),
  );
  const queries = allQueries
    .filter((q) => qrels.has(q._id))
    .map((q) => (q.answer ? { id: q._id, text: q.text, answer: q.answer } : { id: q._id, text: q.text }));
  const unanswerableFile = path.join(dir, 'unanswerable.jsonl');
  const unanswerable = existsSync(unanswerableFile)
    ? (await readJsonl<{ _id: string; text: string }>(unanswerableFile)).map((q) => ({
        id: q._id,
        text: q.text,
      }))
    : [];
  let kept = corpus;
  if (opts.maxDocuments !== undefined && opts.maxDocuments < corpus.length) {
    const judged = new Set([...qrels.values()].flatMap((m) => [...m.keys()]));
    const relevant = corpus.filter((d) => judged.has(d._id));
    const others = corpus.filter((d) => !judged.has(d._id));
    kept = [...relevant, ...others.slice(0, Math.max(0, opts.maxDocuments - relevant.length))];
  }
  return {
    name: path.basename(path.resolve(dir)),
    corpus: kept,
    queries,
    qrels,
    unanswerable,
    omittedDocuments: corpus.length - kept.length,
  };
}
