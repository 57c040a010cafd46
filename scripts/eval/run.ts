import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import { loadConfig } from '../../src/config.js';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { createLogger } from '../../src/logger.js';
import { loadBeirDataset } from './beir.js';
import { formatResult } from './evaluate.js';
import { runEvaluation } from './run-evaluation.js';

/**
 * `npm run eval [-- --dataset <dir>] [--max-docs <n>] [--full-text-mode all|any|all_then_any] [--json <file>]`
 * Retrieval evaluation on a BEIR-layout dataset (default: the shipped tests/fixtures/eval), always in a
 * fresh in-memory database, never the configured one. Hybrid runs too when OPENAI_API_KEY is set.
 */
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'tests/fixtures/eval' },
    'max-docs': { type: 'string' },
    'full-text-mode': { type: 'string', default: 'all_then_any' },
    json: { type: 'string' },
  },
});
const mode = values['full-text-mode'];
if (mode !== 'all' && mode !== 'any' && mode !== 'all_then_any') {
  throw new Error('--full-text-mode must be all, any or all_then_any');
}
const config = loadConfig();
const dataset = await loadBeirDataset(values.dataset, {
  maxDocuments: values['max-docs'] ? Number(values['max-docs']) : undefined,
});
const subset = dataset.omittedDocuments ? ` (subset: ${dataset.omittedDocuments} documents left out)` : '';
process.stdout.write(
  `Dataset ${dataset.name}: ${dataset.corpus.length} documents${subset}, ${dataset.queries.length} judged queries, ${dataset.unanswerable.length} unanswerable\n`,
);
const embedder = config.openai.apiKey
  ? createOpenAiClient({ apiKey: config.openai.apiKey, baseUrl: config.openai.baseUrl })
  : null;
if (!embedder) process.stdout.write('No OPENAI_API_KEY: full-text only (hybrid needs embeddings).\n');

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
  if (report.hybrid) process.stdout.write(`${formatResult(report.hybrid)}\n`);
  if (values.json) {
    const plain = (r: typeof report.fullText | null) =>
      r && { ...r, rankings: Object.fromEntries(r.rankings), signals: Object.fromEntries(r.signals) };
    await writeFile(
      values.json,
      JSON.stringify(
        {
          dataset: dataset.name,
          ingest: { ...ing, corpusIdOf: undefined },
          fullText: plain(report.fullText),
          hybrid: plain(report.hybrid),
        },
        null,
        2,
      ),
    );
  }
} finally {
  await db.close();
  await rm(blobDir, { recursive: true, force: true });
}
