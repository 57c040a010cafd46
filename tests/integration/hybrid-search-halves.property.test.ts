import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import {
  type HybridSearchParams,
  hybridSearch,
  type SearchHit,
} from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { hybridSearchRunner } from '../../src/knowledge/retrieval/search.service.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import { corpusText, SEARCH_TEST_MODEL, storeTextCorpus } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

/**
 * The answer step on Postgres runs lore.hybrid_search's two halves as two calls at once and fuses them in the
 * app (search.service.ts `hybridSearchRunner`, fuse-lists.ts). What a member is shown must not depend on that:
 * over generated corpora (more chunks than one list's 40 candidates, so both lists are cut), the fused hits
 * are the function's own, in the same order, with the same scores and ranks.
 */
const scenario = fc.record({
  // Small corpora, and ones past the 40 candidates a list keeps (k ≤ 10), so both lists are cut.
  embedded: fc.oneof(
    fc.array(corpusText, { minLength: 1, maxLength: 12 }),
    fc.array(corpusText, { minLength: 45, maxLength: 70 }),
  ),
  notEmbedded: fc.array(corpusText, { minLength: 0, maxLength: 10 }),
  query: corpusText,
  k: fc.integer({ min: 1, max: 25 }),
  // Equal weights half the time: a chunk only one list found then ties with one only the other found.
  fullText: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 4, noNaN: true })),
  semantic: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 4, noNaN: true })),
  rrfK: fc.integer({ min: 1, max: 100 }),
  mode: fc.constantFrom('all' as const, 'any' as const, 'all_then_any' as const),
});

/** What a hit's place and score are made of (a vector-only hit's `matchedAllTerms` is the one difference). */
const shape = (h: SearchHit) => ({
  chunkId: h.chunkId,
  content: h.content,
  score: h.score,
  fullTextRank: h.fullTextRank,
  fullTextScore: h.fullTextScore,
  semanticRank: h.semanticRank,
  similarity: h.similarity,
  matchedAllTerms: h.fullTextRank === null ? null : h.matchedAllTerms,
});

describe('hybrid search with its two halves run at once', () => {
  let db: Database;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it("returns the function's own fused hits: same chunks, order, scores and ranks", async () => {
    let cut = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const tenantId = (await createTenant(db, { slackTeamId: `THALF${++seq}`, name: 'Halves' })).id;
        await withTenant(db, tenantId, async (c) => {
          await storeTextCorpus(c, tenantId, s);
          const params: HybridSearchParams = {
            tenantId,
            query: s.query,
            embedding: fakeEmbedding(s.query),
            k: s.k,
            fullTextWeight: s.fullText,
            semanticWeight: s.semantic,
            rrfK: s.rrfK,
            embeddingModel: SEARCH_TEST_MODEL,
            fullTextMode: s.mode,
          };
          const calls: HybridSearchParams[] = [];
          const halves = hybridSearchRunner((p) => {
            calls.push(p);
            return hybridSearch(c, p);
          }, true);
          const fused = await halves(params);
          expect(calls.map((p) => [p.query === '', p.embedding === null])).toEqual([
            [false, true],
            [true, false],
          ]);
          expect(fused.map(shape)).toEqual((await hybridSearch(c, params)).map(shape));
          if (s.embedded.length > 40 && s.k <= 10) cut++;
        });
      }),
      { numRuns: 30 },
    );
    expect(cut).toBeGreaterThan(0);
  }, 240_000);

  it('makes one call when there is no question text or no embedding, or when k is past what one call returns', async () => {
    const tenantId = (await createTenant(db, { slackTeamId: `THALF${++seq}`, name: 'Halves' })).id;
    const calls: HybridSearchParams[] = [];
    const halves = hybridSearchRunner(async (p) => {
      calls.push(p);
      return [];
    }, true);
    const base = {
      tenantId,
      fullTextWeight: 1,
      semanticWeight: 1,
      rrfK: 60,
      embeddingModel: SEARCH_TEST_MODEL,
      fullTextMode: 'all_then_any' as const,
    };
    await halves({ ...base, query: 'vpn', embedding: null, k: 10 });
    await halves({ ...base, query: ' ', embedding: fakeEmbedding('vpn'), k: 10 });
    await halves({ ...base, query: 'vpn', embedding: fakeEmbedding('vpn'), k: 26 });
    expect(calls.map((p) => p.k)).toEqual([10, 10, 26]);
    await hybridSearchRunner(async (p) => {
      calls.push(p);
      return [];
    }, false)({ ...base, query: 'vpn', embedding: fakeEmbedding('vpn'), k: 10 });
    expect(calls).toHaveLength(4);
  });
});
