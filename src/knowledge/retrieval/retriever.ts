import type { Retrieval, Retriever } from '../../ai/answer.types.js';
import type { Embedder } from '../../ai/llm-client.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import type { Logger } from '../../logger.js';
import { findSourceUrls } from '../documents.repo.js';
import { hybridSearch } from './hybrid-search.repo.js';
import { hybridSearchRunner, type SearchOptions, searchKnowledgeWith } from './search.service.js';
import { tenantWordsNear } from './tenant-words.repo.js';

export interface RetrieverDeps {
  db: Database;
  /** The tenant's embedding client (its own key or the platform's), or null: full-text search only. */
  embedderFor: (tenantId: string) => Promise<{ llm: Embedder } | null>;
  embeddingModel: string;
  logger: Logger;
  /** Chunks fetched per question (default ANSWER_CHUNKS). */
  k?: number;
}

/**
 * Chunks the answer step fetches per question: neighbours among them are merged into passages. 30 (was 12, then
 * 20) gives the model's prompt more of the sections around the best hits (BENCHMARKS.md, "Answer quality",
 * 2026-12-05). Without a model the same three passages are quoted; the gate reads a hit with its retrieved
 * neighbours, of which there can now be more. Its cost at scale: `npm run bench -- retrieval-native`.
 */
export const ANSWER_CHUNKS = 30;

/**
 * The answer step's Retriever: embeds the question (outside any transaction, so no connection waits on
 * the network), then searches inside withTenant, each transaction on its own (never one waiting inside
 * another: answers at once could then hold every pooled connection, each waiting for a second). An
 * embedding failure degrades to full-text search instead of failing the answer.
 */
export function createRetriever(deps: RetrieverDeps): Retriever {
  return async (tenantId, query, scope, known): Promise<Retrieval> => {
    let embedding: number[] | null = null;
    let embedQuery: SearchOptions['embedQuery'];
    try {
      const embedder = known === undefined ? await deps.embedderFor(tenantId) : known;
      if (embedder && query.trim()) {
        const embed = async (text: string) =>
          (await embedder.llm.embed([text], { model: deps.embeddingModel })).vectors[0] ?? null;
        embedding = await embed(query);
        // A question whose typos were read is embedded again, as fixed (outside any transaction, as above);
        // should that fail, the embedding as typed is kept.
        embedQuery = (text) =>
          embed(text).catch((err: unknown) => {
            deps.logger.warn({ err, tenantId }, 'embedding the fixed question failed: kept as typed');
            return null;
          });
      }
    } catch (err) {
      deps.logger.warn({ err, tenantId }, 'query embedding failed: searching full-text only');
    }
    // Each half of the search on a connection of its own, at once, on Postgres (search.service.ts
    // `hybridSearchRunner`); embedded PGlite has one connection, so one call there.
    const search = hybridSearchRunner(
      (p) => withTenant(deps.db, tenantId, (c) => hybridSearch(c, p)),
      deps.db.kind !== 'pglite',
    );
    const result = await searchKnowledgeWith(
      search,
      tenantId,
      {
        query,
        embedding,
        embeddingModel: embedding ? deps.embeddingModel : null,
        k: deps.k ?? ANSWER_CHUNKS,
        collectionIds: scope.collectionIds,
        embedQuery,
      },
      (typed) => withTenant(deps.db, tenantId, (c) => tenantWordsNear(c, { tenantId, typed })),
    );
    // Web pages and saved threads are cited with a link to where they came from.
    const sourceUrls = await withTenant(deps.db, tenantId, (c) =>
      findSourceUrls(c, [...new Set(result.passages.map((p) => p.documentId))]),
    );
    return {
      confident: result.relevance.confident,
      relevant: result.relevance.relevant,
      close: result.relevance.close,
      spelling: result.spelling,
      situation: result.situation,
      askedAbout: result.askedAbout,
      pointsBack: result.pointsBack,
      passages: result.passages.map((p) => ({
        chunkId: p.chunkIds[0] as string,
        documentId: p.documentId,
        title: p.title,
        section: p.section,
        pageStart: p.pageStart,
        ordinal: p.ordinals[0] as number,
        content: p.content,
        score: p.score,
        termCoverage: p.termCoverage,
        messageCoverage: p.messageCoverage,
        similarity: p.similarity,
        sourceUrl: sourceUrls.get(p.documentId) ?? null,
      })),
    };
  };
}
