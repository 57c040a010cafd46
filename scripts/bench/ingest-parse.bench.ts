import { PDFParse } from 'pdf-parse';
import { chunkDocument } from '../../src/knowledge/ingestion/chunk.js';
import { parseDocument } from '../../src/knowledge/ingestion/parse/parse-document.js';
import { decodeTokens, encodeTokens } from '../../src/knowledge/ingestion/tokens.js';
import { buildPdf, type PdfPage } from '../../tests/support/document-fixtures.js';
import { reportBench } from './report.js';

/**
 * Parse + normalise + chunk throughput for a generated 100-page PDF, against pdf-parse's raw text
 * extraction alone (the floor any PDF ingestion pays), and the chunker against a naive fixed token window.
 */
const PAGES = 100;
const ROUNDS = 5;
const topics = ['travel', 'security', 'benefits', 'onboarding', 'expenses', 'hardware', 'privacy', 'support'];

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function paragraph(page: number, n: number): string {
  const topic = topics[(page + n) % topics.length];
  return Array.from(
    { length: 6 },
    (_, i) =>
      `Rule ${page}.${n}.${i} of the ${topic} policy explains who approves requests and how long it takes.`,
  ).join(' ');
}

const pages: PdfPage[] = Array.from({ length: PAGES }, (_, p) => ({
  ...(p % 4 === 0
    ? { heading: `${Math.floor(p / 4) + 1} ${capitalize(topics[p % topics.length] ?? '')} policy` }
    : {}),
  paragraphs: Array.from({ length: 4 }, (_, n) => paragraph(p, n)),
  runningHeader: 'Example Corp Employee Handbook',
}));
const pdf = await buildPdf(pages, { title: 'Employee Handbook' });

async function rawExtract(): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** The simplest token chunker: one window of 400 tokens every 340, over the whole text. */
function naiveChunks(text: string): number {
  const tokens = encodeTokens(text);
  let n = 0;
  for (let start = 0; start < tokens.length; start += 340) {
    decodeTokens(tokens.slice(start, start + 400));
    n++;
  }
  return n;
}

const time = async <T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
};

// Warm up both paths (JIT, tokenizer tables, pdf.js fonts) before measuring.
const rawText = await rawExtract();
const parsed = await parseDocument(pdf, 'application/pdf', 'handbook.pdf');
chunkDocument(parsed);
naiveChunks(rawText);

const raw: number[] = [];
const lore: number[] = [];
const naive: number[] = [];
const chunker: number[] = [];
let chunkCount = 0;
let naiveCount = 0;
for (let r = 0; r < ROUNDS; r++) {
  raw.push((await time(rawExtract)).ms);
  const full = await time(async () =>
    chunkDocument(await parseDocument(pdf, 'application/pdf', 'handbook.pdf')),
  );
  lore.push(full.ms);
  chunkCount = full.value.length;
  const n = await time(() => naiveChunks(rawText));
  naive.push(n.ms);
  naiveCount = n.value;
  chunker.push((await time(() => chunkDocument(parsed))).ms);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const perSecond = (count: number, ms: number) => (count * 1000) / ms;
reportBench({
  name: 'ingest-parse',
  description: `${PAGES}-page PDF (${(pdf.length / 1024).toFixed(0)} KB, ${chunkCount} chunks): parse+normalise+chunk vs raw pdf-parse text; chunker vs a fixed token window (median of ${ROUNDS})`,
  rows: [
    {
      metric: 'pages/s (parse+chunk)',
      baseline: perSecond(PAGES, median(raw)),
      lore: perSecond(PAGES, median(lore)),
    },
    { metric: 'document ms (parse+chunk)', baseline: median(raw), lore: median(lore) },
    {
      metric: 'chunks/s (chunking only)',
      baseline: perSecond(naiveCount, median(naive)),
      lore: perSecond(chunkCount, median(chunker)),
    },
  ],
});
