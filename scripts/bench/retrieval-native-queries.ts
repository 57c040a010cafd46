import type { Database } from '../../src/infra/db/database.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { hybridSearch } from '../../src/knowledge/retrieval/hybrid-search.repo.js';
import { searchableQuestion } from '../../src/knowledge/retrieval/question-terms.js';
import { ANSWER_CHUNKS } from '../../src/knowledge/retrieval/retriever.js';
import { hybridSearchRunner, searchKnowledgeWith } from '../../src/knowledge/retrieval/search.service.js';
import { expandQuery } from '../../src/knowledge/retrieval/synonyms.js';
import { seededRandom, vectorText } from '../../tests/support/synthetic-chunks.js';
import { quantile } from './load.js';
import type { CorpusTenant } from './native-corpus.js';
import { questionText } from './synthetic-text.js';

/** Ids of the 10 nearest chunks of the tenant by exact distance: the vector baseline (as retrieval.bench.ts). */
function exactVector(db: Database, tenantId: string, vector: string): Promise<string[]> {
  return withTransaction(db, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `WITH mine AS MATERIALIZED (SELECT id, embedding FROM lore.chunks WHERE tenant_id = $1)
       SELECT id::text AS id FROM mine ORDER BY embedding <=> $2::halfvec, id LIMIT 10`,
      [tenantId, vector],
    );
    return rows.map((r) => r.id);
  });
}

/**
 * The hybrid baseline: lore.hybrid_search with the arguments searchKnowledge passes (same question text,
 * synonyms, mode, weights, k), under the same RLS, but `p_exact_below` past any tenant's size, so the
 * vector list is exact. Only the vector path differs from Lore's call.
 */
function exactHybrid(
  db: Database,
  tenantId: string,
  question: string,
  vector: string,
  k: number,
): Promise<string[]> {
  return withTenant(db, tenantId, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `SELECT chunk_id::text AS id FROM lore.hybrid_search(p_tenant => $1, p_query => $2,
         p_embedding => $3::halfvec, p_k => $4, p_full_text_weight => 1, p_semantic_weight => 1, p_rrf_k => 60,
         p_full_text_mode => 'all_then_any', p_exact_below => 2147483647)`,
      [tenantId, expandQuery(searchableQuestion(question)), vector, k],
    );
    return rows.map((r) => r.id);
  });
}

/**
 * Lore's own call, as the answer step makes it on Postgres (retriever.ts): searchKnowledge with the hybrid's two
 * halves at once, each in a withTenant of its own (query '' = vector half only: one call); `oneCall`: both
 * halves in one lore.hybrid_search call under one withTenant, as before.
 */
async function lore(
  db: Database,
  tenantId: string,
  query: string,
  embedding: number[],
  opts: { oneCall?: boolean; k?: number } = {},
): Promise<string[]> {
  const search = hybridSearchRunner(
    (p) => withTenant(db, tenantId, (c) => hybridSearch(c, p)),
    !opts.oneCall,
  );
  const { hits } = await searchKnowledgeWith(search, tenantId, { query, embedding, k: opts.k ?? 10 });
  return hits.map((h) => h.chunkId);
}

const KINDS = [
  'exactVector',
  'loreVector',
  'exactHybrid',
  'loreHybrid',
  'exactHybridAnswerK',
  'loreHybridAnswerK',
] as const;
type Interleaved = (typeof KINDS)[number];
/**
 * `loreHybridAlone`: Lore's hybrid call on more fresh questions, back to back, with no exact scan between;
 * `loreHybridAloneOneCall`: the same questions with both halves in one call (the order alternates per question).
 */
type Kind = Interleaved | 'loreHybridAlone' | 'loreHybridAloneOneCall';

export interface TenantMeasurement {
  vectorRecall: number;
  hybridRecall: number;
  /** recall@k of Lore's hybrid call at the answer step's k (ANSWER_CHUNKS) against the exact-vector hybrid at that k. */
  answerKRecall: number;
  /** Sorted latencies in ms per kind. */
  times: Record<Kind, number[]>;
  p: (kind: Kind, q: number) => number;
}

/**
 * `queries` fresh questions about the tenant's topics (a vector drawn from its space, three words of that
 * vector's topic). Each runs six ways (the hybrid twice more at the answer step's k); the order rotates per question so caching favours none. Then as many
 * fresh questions again through Lore's hybrid call alone: between the interleaved calls each exact scan reads
 * the tenant's whole table and pushes the HNSW pages out of `shared_buffers`, which a tenant's own traffic in
 * production does not do, so both figures are reported.
 */
export async function measureTenant(
  db: Database,
  t: CorpusTenant,
  queries: number,
): Promise<TenantMeasurement> {
  const times = Object.fromEntries(
    [...KINDS, 'loreHybridAlone', 'loreHybridAloneOneCall'].map((k) => [k, [] as number[]]),
  ) as Record<Kind, number[]>;
  const words = seededRandom(0xa5c ^ t.size);
  let vectorFound = 0;
  let hybridFound = 0;
  let answerKFound = 0;
  for (let i = 0; i < queries; i++) {
    const { vector, topic } = t.space.draw();
    const question = questionText(topic, words);
    const text = vectorText(vector);
    const embedding = Array.from(vector);
    const run: Record<Interleaved, () => Promise<string[]>> = {
      exactVector: () => exactVector(db, t.id, text),
      loreVector: () => lore(db, t.id, '', embedding),
      exactHybrid: () => exactHybrid(db, t.id, question, text, 10),
      loreHybrid: () => lore(db, t.id, question, embedding),
      exactHybridAnswerK: () => exactHybrid(db, t.id, question, text, ANSWER_CHUNKS),
      loreHybridAnswerK: () => lore(db, t.id, question, embedding, { k: ANSWER_CHUNKS }),
    };
    const got = {} as Record<Interleaved, string[]>;
    for (let j = 0; j < KINDS.length; j++) {
      const kind = KINDS[(i + j) % KINDS.length] as Interleaved;
      const t0 = performance.now();
      got[kind] = await run[kind]();
      times[kind].push(performance.now() - t0);
    }
    const overlap = (truth: string[], found: string[]) => {
      const set = new Set(truth);
      return found.filter((id) => set.has(id)).length;
    };
    vectorFound += overlap(got.exactVector, got.loreVector);
    hybridFound += overlap(got.exactHybrid, got.loreHybrid);
    answerKFound += overlap(got.exactHybridAnswerK, got.loreHybridAnswerK);
  }
  for (let i = 0; i < queries; i++) {
    const { vector, topic } = t.space.draw();
    const question = questionText(topic, words);
    for (const oneCall of i % 2 ? [true, false] : [false, true]) {
      const t0 = performance.now();
      await lore(db, t.id, question, Array.from(vector), { oneCall });
      times[oneCall ? 'loreHybridAloneOneCall' : 'loreHybridAlone'].push(performance.now() - t0);
    }
  }
  for (const k of Object.values(times)) k.sort((a, b) => a - b);
  return {
    vectorRecall: vectorFound / (queries * 10),
    hybridRecall: hybridFound / (queries * 10),
    answerKRecall: answerKFound / (queries * ANSWER_CHUNKS),
    times,
    p: (kind, q) => quantile(times[kind], q),
  };
}
