import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Embedder } from '../../src/ai/llm-client.js';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import { loadConfig } from '../../src/config.js';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { loadBeirDataset } from './beir.js';
import { formatResult } from './evaluate.js';
import { formatAnswerResult, formatMisses } from './evaluate-answers.js';
import { fakeEmbedder } from './fake-embedder.js';
import { formatBreakdown } from './miss-reasons.js';
import { runEvaluation } from './run-evaluation.js';
import { formatSummary, type SummaryRow } from './summary.js';
import { summaryChart } from './summary-chart.js';
import { datasetWithSwappedLetters, datasetWithTypos } from './typos.js';

/** The shipped sets: evaluated by default, small enough for the fake embedder's row-by-row ingest. */
const SHIPPED = [
  'tests/fixtures/eval',
  'tests/fixtures/eval-slack',
  'tests/fixtures/eval-tidewater',
  'tests/fixtures/eval-situations',
  'tests/fixtures/eval-situations-tidewater',
  'tests/fixtures/eval-tts-handbook',
];
/** Questions no change is tuned on, over shipped corpora and corpora of their own (tests/fixtures/eval-heldout/README.md). */
const HELD_OUT = [
  'tests/fixtures/eval-heldout/fernhill',
  'tests/fixtures/eval-heldout/kestrel',
  'tests/fixtures/eval-heldout/quillmark',
  'tests/fixtures/eval-heldout/brightwater-clinic',
  'tests/fixtures/eval-heldout/pinecrest-engineering',
  'tests/fixtures/eval-heldout/quillmark-situations',
  'tests/fixtures/eval-heldout/tts-blind',
  'tests/fixtures/eval-heldout/harbor-freightways',
];

/**
 * `npm run eval [-- --dataset <dir>] [--max-docs <n>] [--full-text-mode all|any|all_then_any] [--json <file>]
 *   [--fake-embeddings] [--no-answers] [--misses] [--typos] [--swaps] [--chart <file.svg>]`
 * Retrieval evaluation on BEIR-layout datasets (default: the shipped sets, then the held-out ones), then the answer step's four
 * figures in both modes (no model; with a model), always in a fresh in-memory database, never the
 * configured one. Hybrid and the with-a-model figures use OpenAI embeddings when OPENAI_API_KEY is set, else
 * the deterministic fake embedder on the shipped sets (or with --fake-embeddings), labelled as such. Without a
 * model, where each answerable question's answer was lost is counted; --misses lists those questions (never a
 * held-out set's). --typos asks every question with one typo in its rarest topic word, --swaps with two letters
 * swapped in one of its words that name no topic ("hwo", "teh"; typos.ts). It closes with a summary of every set
 * against the targets; --chart also draws it as an SVG bar chart.
 */
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', multiple: true },
    'max-docs': { type: 'string' },
    'full-text-mode': { type: 'string', default: 'all_then_any' },
    json: { type: 'string' },
    chart: { type: 'string' },
    'fake-embeddings': { type: 'boolean', default: false },
    'no-answers': { type: 'boolean', default: false },
    misses: { type: 'boolean', default: false },
    typos: { type: 'boolean', default: false },
    swaps: { type: 'boolean', default: false },
  },
});
const mode = values['full-text-mode'];
if (mode !== 'all' && mode !== 'any' && mode !== 'all_then_any') {
  throw new Error('--full-text-mode must be all, any or all_then_any');
}
const config = loadConfig();
const dirs = values.dataset ?? [...SHIPPED, ...HELD_OUT];
const reports: Record<string, unknown> = {};
const summary: SummaryRow[] = [];

for (const dir of dirs) {
  const loaded = await loadBeirDataset(dir, {
    maxDocuments: values['max-docs'] ? Number(values['max-docs']) : undefined,
  });
  const typod = values.typos ? datasetWithTypos(loaded) : loaded;
  const dataset = values.swaps ? datasetWithSwappedLetters(typod) : typod;
  const subset = dataset.omittedDocuments ? ` (subset: ${dataset.omittedDocuments} documents left out)` : '';
  const heldOut = HELD_OUT.includes(dir) ? ' [held-out questions: measured, never tuned on]' : '';
  const typos = `${values.typos ? ' [every question with one typo]' : ''}${values.swaps ? ' [letters swapped in a short word]' : ''}`;
  process.stdout.write(
    `\nDataset ${dataset.name}${heldOut}${typos}: ${dataset.corpus.length} documents${subset}, ${dataset.queries.length} judged queries, ${dataset.unanswerable.length} unanswerable\n`,
  );
  const fake = values['fake-embeddings'] || SHIPPED.includes(dir) || HELD_OUT.includes(dir);
  let embedder: Embedder | null = null;
  let embedderLabel = 'full-text only';
  if (config.openai.apiKey) {
    embedder = createOpenAiClient({ apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl });
    embedderLabel = `hybrid, ${config.openai.embeddingModel}`;
  } else if (fake) {
    embedder = fakeEmbedder;
    embedderLabel = 'hybrid, fake embedder (no OPENAI_API_KEY)';
  } else {
    process.stdout.write('No OPENAI_API_KEY: full-text only (hybrid needs embeddings).\n');
  }

  const db = await createEmbeddedDatabase('memory://');
  const blobDir = await mkdtemp(path.join(tmpdir(), 'lore-eval-'));
  try {
    await migrate(db);
    let lastShown = 0;
    const report = await runEvaluation(db, dataset, {
      embedder,
      embeddingModel: config.openai.embeddingModel,
      blobDir,
      logger: createLogger({ level: 'warn' }),
      fullTextMode: mode,
      answers: !values['no-answers'],
      onProgress: (done, total) => {
        if (done === total || performance.now() - lastShown > 2_000) {
          lastShown = performance.now();
          process.stdout.write(`  uploaded ${done}/${total}\n`);
        }
      },
    });
    const ing = report.ingest;
    process.stdout.write(
      `Ingested ${ing.documents} documents into ${ing.chunks} chunks in ${ing.seconds.toFixed(1)} s (${ing.failed.length} failed, ${ing.duplicates} duplicates)\n`,
    );
    for (const f of ing.failed.slice(0, 5)) process.stdout.write(`  failed ${f.corpusId}: ${f.reason}\n`);
    process.stdout.write(`${formatResult(report.fullText)}\n`);
    if (report.hybrid) process.stdout.write(`${formatResult(report.hybrid)}  (${embedderLabel})\n`);
    if (report.answers) {
      const noModel = report.answers.noModel;
      process.stdout.write(`${formatAnswerResult(noModel, 'full-text only')}\n`);
      const outcomes = [...noModel.perQuery.values()].flatMap((q) => (q.outcome ? [q.outcome] : []));
      process.stdout.write(`  no model, answerable: ${formatBreakdown(outcomes)}\n`);
      if (values.misses) {
        // Never a held-out set's questions: a session that read them while tuning would be tuning on them.
        const lines = heldOut
          ? ['  (held-out: its misses are counted above, never listed)']
          : formatMisses(noModel);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      process.stdout.write(`${formatAnswerResult(report.answers.withModel, embedderLabel)}\n`);
      summary.push({
        name: dataset.name,
        heldOut: heldOut !== '',
        noModel,
        withModel: report.answers.withModel,
      });
    }
    const plain = <T extends { perQuery?: Map<string, unknown> } | null>(r: T) =>
      r && { ...r, perQuery: r.perQuery && Object.fromEntries(r.perQuery) };
    const plainRetrieval = (r: typeof report.fullText | null) =>
      r && { ...r, rankings: Object.fromEntries(r.rankings), signals: Object.fromEntries(r.signals) };
    reports[dataset.name] = {
      ingest: { ...ing, corpusIdOf: undefined },
      embedder: embedderLabel,
      fullText: plainRetrieval(report.fullText),
      hybrid: plainRetrieval(report.hybrid),
      answers: report.answers && {
        noModel: plain(report.answers.noModel),
        withModel: plain(report.answers.withModel),
      },
    };
  } finally {
    await db.close();
    await rm(blobDir, { recursive: true, force: true });
  }
}
if (summary.length > 0) process.stdout.write(`\n${formatSummary(summary)}\n`);
if (values.chart && summary.length > 0) await writeFile(values.chart, summaryChart(summary));
if (values.json) await writeFile(values.json, JSON.stringify(reports, null, 2));
