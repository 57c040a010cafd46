import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBeirDataset } from '../../scripts/eval/beir.js';
import { formatResult } from '../../scripts/eval/evaluate.js';
import { type RunReport, runEvaluation } from '../../scripts/eval/run-evaluation.js';
import { createOpenAiClient } from '../../src/ai/openai-client.js';
import type { Database } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/logger.js';
import { mockOpenAiEmbeddings } from '../support/fake-embeddings.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * The retrieval quality gate: the shipped evaluation set (tests/fixtures/eval) through the real ingestion
 * pipeline and the real search function. Floors sit a little under the measured values (BENCHMARKS.md):
 * a change that makes retrieval worse fails CI.
 */
const FLOORS = {
  fullTextRecallAt10: 0.9,
  fullTextNdcgAt10: 0.82,
  abstainedOnUnanswerable: 0.75,
  hybridNdcgAt10: 0.82,
};
/**
 * How far hybrid nDCG@10 may sit under full-text's. The fake embedder is a fuzzy lexical matcher (0.763
 * alone), weaker than BM25 full-text (0.843): fused 1:1 it wins some questions and loses others, measured
 * 0.839 against 0.843. A real embedding model is expected to add to full-text, not this one.
 */
const HYBRID_NDCG_TOLERANCE = 0.01;

describe('retrieval evaluation on the shipped dataset', () => {
  let db: Database;
  let blobDir: string;
  let report: RunReport;

  beforeAll(async () => {
    db = await createTestDatabase();
    blobDir = await mkdtemp(path.join(tmpdir(), 'lore-eval-test-'));
    const stats = mockOpenAiEmbeddings('https://api.openai.test/v1');
    const embedder = createOpenAiClient({
      apiKey: 'sk-test',
      baseUrl: 'https://api.openai.test/v1',
      maxRetries: 0,
    });
    const dataset = await loadBeirDataset('tests/fixtures/eval');
    report = await runEvaluation(db, dataset, {
      embedder,
      embeddingModel: 'text-embedding-3-small',
      blobDir,
      logger: createLogger({ level: 'silent' }),
    });
    expect(stats.requests).toBeGreaterThan(0);
  }, 180_000);
  afterAll(async () => {
    await db.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  it('ingests every document of the corpus through the pipeline', () => {
    expect(report.ingest.failed).toEqual([]);
    expect(report.ingest.documents).toBe(57);
    expect(report.ingest.chunks).toBeGreaterThanOrEqual(57);
  });

  it('full-text search stays above its quality floors', () => {
    const ft = report.fullText;
    expect(ft.metrics.queries).toBe(76);
    expect(ft.metrics.recallAt10, formatResult(ft)).toBeGreaterThanOrEqual(FLOORS.fullTextRecallAt10);
    expect(ft.metrics.ndcgAt10, formatResult(ft)).toBeGreaterThanOrEqual(FLOORS.fullTextNdcgAt10);
  });

  it('says "I don\'t know" to most questions the documents do not answer', () => {
    expect(report.fullText.abstainedOnUnanswerable).toBeGreaterThanOrEqual(FLOORS.abstainedOnUnanswerable);
  });

  it('hybrid search (embeddings on) finds as much as full-text search and ranks about as well', () => {
    const hybrid = report.hybrid;
    expect(hybrid).not.toBeNull();
    const message = `${formatResult(report.fullText)}\n${hybrid && formatResult(hybrid)}`;
    expect(hybrid?.metrics.recallAt10, message).toBeGreaterThanOrEqual(report.fullText.metrics.recallAt10);
    expect(hybrid?.metrics.ndcgAt10, message).toBeGreaterThanOrEqual(
      report.fullText.metrics.ndcgAt10 - HYBRID_NDCG_TOLERANCE,
    );
    expect(hybrid?.metrics.ndcgAt10, message).toBeGreaterThanOrEqual(FLOORS.hybridNdcgAt10);
  });
});
