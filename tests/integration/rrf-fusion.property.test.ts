import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { withTenant } from '../../src/infra/db/transaction.js';
import { hybridSearch, type SearchHit } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { createTenant } from '../support/factories.js';
import { fakeEmbedding } from '../support/fake-embeddings.js';
import { corpusText, SEARCH_TEST_MODEL, storeTextCorpus } from '../support/search-documents.js';
import { createTestDatabase } from '../support/test-db.js';

const scenario = fc.record({
  embedded: fc.array(corpusText, { minLength: 0, maxLength: 8 }),
  notEmbedded: fc.array(corpusText, { minLength: 0, maxLength: 6 }),
  query: corpusText,
  withEmbedding: fc.boolean(),
  fullText: fc.double({ min: 0.05, max: 4, noNaN: true }),
  semantic: fc.double({ min: 0.05, max: 4, noNaN: true }),
  rrfK: fc.integer({ min: 1, max: 100 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** A rank in one list, with "not in the list" as worse than any place in it. */
const place = (rank: number | null) => rank ?? Number.POSITIVE_INFINITY;

describe('RRF fusion in lore.hybrid_search (fast-check over generated corpora, real SQL)', () => {
  let db: Database;
  let seq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  /** A fresh tenant holding the scenario's chunks; every chunk is a candidate (corpus < 40 per list). */
  async function search(s: Scenario, scale = 1): Promise<{ hits: SearchHit[]; stored: number }> {
    const tenantId = (await createTenant(db, { slackTeamId: `TRRF${++seq}`, name: 'RRF' })).id;
    return withTenant(db, tenantId, async (c) => {
      await storeTextCorpus(c, tenantId, s);
      const run = (weight: number) =>
        hybridSearch(c, {
          tenantId,
          query: s.query,
          embedding: s.withEmbedding ? fakeEmbedding(s.query) : null,
          k: 100,
          fullTextWeight: s.fullText * weight,
          semanticWeight: s.semantic * weight,
          rrfK: s.rrfK,
          embeddingModel: SEARCH_TEST_MODEL,
          fullTextMode: 'all_then_any',
        });
      return { hits: await run(scale), stored: s.embedded.length + s.notEmbedded.length };
    });
  }

  it('fuses without duplicates or strays, scores by the RRF formula, and never ranks a dominated chunk first', async () => {
    let inBothLists = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { hits } = await search(s);
        inBothLists += hits.filter((h) => h.fullTextRank !== null && h.semanticRank !== null).length;
        const ids = hits.map((h) => h.chunkId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const h of hits) {
          // Every result came from at least one list, and its score is the sum of its lists' shares.
          expect(h.fullTextRank !== null || h.semanticRank !== null).toBe(true);
          const expected =
            (h.fullTextRank ? s.fullText / (s.rrfK + h.fullTextRank) : 0) +
            (h.semanticRank ? s.semantic / (s.rrfK + h.semanticRank) : 0);
          expect(h.score).toBeCloseTo(expected, 12);
        }
        // Each list's ranks are 1..n with none skipped or repeated (all candidates fit in k = 100).
        for (const ranks of [hits.map((h) => h.fullTextRank), hits.map((h) => h.semanticRank)]) {
          const present = ranks.filter((r): r is number => r !== null).sort((a, b) => a - b);
          expect(present).toEqual(present.map((_, i) => i + 1));
        }
        // With an embedding, every embedded chunk is a semantic candidate, so every one is in the result.
        if (s.withEmbedding)
          expect(hits.filter((h) => h.semanticRank !== null)).toHaveLength(s.embedded.length);
        else expect(hits.every((h) => h.semanticRank === null)).toBe(true);
        // Best first; equal scores by chunk id, so the order is total and repeatable.
        for (let i = 1; i < hits.length; i++) {
          const [a, b] = [hits[i - 1] as SearchHit, hits[i] as SearchHit];
          expect(a.score > b.score || (a.score === b.score && BigInt(a.chunkId) < BigInt(b.chunkId))).toBe(
            true,
          );
        }
        // A chunk placed at least as well in every list, and better in one, is never fused below another.
        hits.forEach((a, i) => {
          hits.forEach((b, j) => {
            const ft = place(a.fullTextRank) - place(b.fullTextRank);
            const sem = place(a.semanticRank) - place(b.semanticRank);
            const aDominates = !(ft > 0) && !(sem > 0) && (ft < 0 || sem < 0);
            if (aDominates) expect(i, `${a.chunkId} dominates ${b.chunkId}`).toBeLessThan(j);
          });
        });
      }),
      { numRuns: 40 },
    );
    // The runs fused something: chunks found by both lists, where the formula adds two shares.
    expect(inBothLists).toBeGreaterThan(10);
  });

  it('depends on the weights only through their ratio: scaling both changes no place', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.constantFrom(0.5, 2, 4), async (s, scale) => {
        const [base, scaled] = [await search(s), await search(s, scale)];
        // Two tenants with the same chunks: compare positions by content, since chunk ids differ.
        const order = (hits: SearchHit[]) => hits.map((h) => [h.content, h.fullTextRank, h.semanticRank]);
        expect(order(scaled.hits)).toEqual(order(base.hits));
      }),
      { numRuns: 15 },
    );
  });
});
