import type { Embedder } from '../../src/ai/llm-client.js';
import { createLocalBlobStore } from '../../src/infra/blob/local-blob-store.js';
import type { Database } from '../../src/infra/db/database.js';
import { withTransaction } from '../../src/infra/db/transaction.js';
import type { FullTextMode } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import type { SearchWeights } from '../../src/knowledge/retrieval/search.service.js';
import type { Logger } from '../../src/logger.js';
import { insertTenant } from '../../src/tenants/tenants.repo.js';
import type { BeirDataset } from './beir.js';
import { type EvalResult, evaluateRetrieval } from './evaluate.js';
import { type AnswerEvalResult, evaluateAnswers } from './evaluate-answers.js';
import { type IngestedCorpus, ingestCorpus } from './ingest-corpus.js';

export interface RunOptions {
  /** Embeds chunks and queries when set (hybrid); full-text only otherwise. */
  embedder: Embedder | null;
  embeddingModel: string;
  /** Where the uploaded originals go (the local blob store). */
  blobDir: string;
  logger: Logger;
  weights?: Partial<SearchWeights>;
  fullTextMode?: FullTextMode;
  onProgress?: (done: number, total: number) => void;
  /** Also run every question through the answer step (both modes). */
  answers?: boolean;
}

export interface RunReport {
  ingest: IngestedCorpus;
  fullText: EvalResult;
  /** Null without an embedder. */
  hybrid: EvalResult | null;
  /** The answer step's four figures without a model (full-text, quoted passages) and with one. */
  answers: { noModel: AnswerEvalResult; withModel: AnswerEvalResult } | null;
}

/**
 * The whole evaluation: a fresh tenant (business plan, so corpus size is not capped by the free plan),
 * the corpus ingested through the real pipeline, then every query full-text only and, with an embedder,
 * hybrid, against the same chunks.
 */
export async function runEvaluation(
  db: Database,
  dataset: BeirDataset,
  opts: RunOptions,
): Promise<RunReport> {
  const tenant = await withTransaction(db, (c) =>
    insertTenant(c, {
      slackTeamId: `TEVAL${Date.now()}`,
      slackEnterpriseId: null,
      isEnterpriseInstall: false,
      name: `Evaluation: ${dataset.name}`,
      planId: 'business',
    }),
  );
  const embedder = opts.embedder;
  const ingest = await ingestCorpus(
    {
      db,
      blobs: createLocalBlobStore(opts.blobDir),
      logger: opts.logger,
      embedderFor: async () => (embedder ? { llm: embedder, keySource: 'platform' as const } : null),
      embeddingModel: opts.embeddingModel,
    },
    tenant.id,
    dataset.corpus,
    { onProgress: opts.onProgress },
  );
  const common = {
    embeddingModel: opts.embeddingModel,
    weights: opts.weights,
    fullTextMode: opts.fullTextMode,
  };
  const fullText = await evaluateRetrieval(db, tenant.id, dataset, ingest.corpusIdOf, {
    ...common,
    embedder: null,
  });
  const hybrid = embedder
    ? await evaluateRetrieval(db, tenant.id, dataset, ingest.corpusIdOf, { ...common, embedder })
    : null;
  const answers = opts.answers
    ? {
        // No model means no embedding key either: full-text retrieval, passages quoted to the member.
        noModel: await evaluateAnswers(db, tenant.id, dataset, ingest.corpusIdOf, {
          embedder: null,
          embeddingModel: opts.embeddingModel,
          withModel: false,
          logger: opts.logger,
        }),
        withModel: await evaluateAnswers(db, tenant.id, dataset, ingest.corpusIdOf, {
          embedder,
          embeddingModel: opts.embeddingModel,
          withModel: true,
          logger: opts.logger,
        }),
      }
    : null;
  return { ingest, fullText, hybrid, answers };
}
