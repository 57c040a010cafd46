import { loadavg } from 'node:os';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { ANSWER_CHUNKS } from '../../src/knowledge/retrieval/retriever.js';
import { listTenantVectorIndexes } from '../../src/knowledge/retrieval/tenant-vector-indexes.repo.js';
import { syncVectorIndexes } from '../../src/knowledge/retrieval/tenant-vector-indexes.service.js';
import { urlFor } from '../../tests/support/native-postgres.js';
import { createVectorSpace } from '../../tests/support/synthetic-chunks.js';
import { benchBaseUrl, benchDatabase } from './bench-database.js';
import { buildIndex, type CorpusTenant, indexDefinitions, loadCorpus } from './native-corpus.js';
import { measureIngestion } from './native-ingest.js';
import { type BenchRow, reportBench } from './report.js';
import { measureTenant } from './retrieval-native-queries.js';

/**
 * retrieval.bench.ts on native PostgreSQL + pgvector shaped like Supabase (pgvector in `extensions`,
 * non-superuser owner), at sizes PGlite cannot reach. Per size, one database of its own (copied from
 * BENCH_DATABASE_URL, else TEST_DATABASE_URL, migrated, dropped at the end): 100 small tenants and one
 * large one holding half the chunks, loaded in bulk without the HNSW and full-text indexes, which are then
 * built with the migrations' definitions. For the large and one small tenant: recall@10 and latency of
 * searchKnowledge's vector half against exact search, and of the hybrid (BM25 + vector) call against the
 * same SQL function with an exact vector list; the large tenant again once it has an HNSW index of its
 * own (what the vector-indexes job builds past VECTOR_INDEX_MIN_CHUNKS); then Lore's ingestion write path
 * on a sample.
 *
 * Env: BENCH_RETRIEVAL_NATIVE_SIZES (default 100000; 10,200 to 2,000,000 each),
 * BENCH_RETRIEVAL_NATIVE_QUERIES (50 per tenant), BENCH_RETRIEVAL_NATIVE_OWN_INDEX_MIN (100,000),
 * BENCH_RETRIEVAL_NATIVE_KEEP=1 (keep each database for a closer look instead of dropping it),
 * BENCH_RETRIEVAL_NATIVE_REUSE=<a kept database's name> (its questions again, nothing loaded or built: `remeasure`),
 * BENCH_RETRIEVAL_NATIVE_INGEST (2,000 chunks),
 * BENCH_RETRIEVAL_NATIVE_BUDGET_S (3,600 s per size: past it the run stops with an error).
 */
if (!benchBaseUrl()) {
  process.stdout.write(
    'retrieval-native: skipped (needs BENCH_DATABASE_URL or TEST_DATABASE_URL: bash scripts/ci/prepare-native-postgres.sh)\n',
  );
  process.exit(0);
}
const env = (name: string, fallback: string) => process.env[name]?.trim() || fallback;
const sizes = env('BENCH_RETRIEVAL_NATIVE_SIZES', '100000').split(',').map(Number);
const QUERIES = Number(env('BENCH_RETRIEVAL_NATIVE_QUERIES', '50'));
const INGEST = Number(env('BENCH_RETRIEVAL_NATIVE_INGEST', '2000'));
const BUDGET_MS = Number(env('BENCH_RETRIEVAL_NATIVE_BUDGET_S', '3600')) * 1000;
// The large tenant is measured again with an index of its own when it is at least this big (the default
// VECTOR_INDEX_MIN_CHUNKS); BENCH_RETRIEVAL_NATIVE_OWN_INDEX_MIN=0 measures it at every size.
const KEEP = env('BENCH_RETRIEVAL_NATIVE_KEEP', '') === '1';
const REUSE = env('BENCH_RETRIEVAL_NATIVE_REUSE', '');
const OWN_INDEX_MIN = Number(env('BENCH_RETRIEVAL_NATIVE_OWN_INDEX_MIN', '100000'));
// Bounded in count: 100 small tenants need 100 chunks each at least; 2M chunks is ~6 GB of halfvecs.
for (const n of sizes) {
  if (!Number.isInteger(n) || n < 10_200 || n > 2_000_000) {
    throw new Error(`BENCH_RETRIEVAL_NATIVE_SIZES: ${n} is not a whole number from 10200 to 2000000`);
  }
}
const log = (m: string) =>
  process.stderr.write(
    `  [retrieval-native] ${m} (load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})\n`,
  );
const seconds = (since: number) => (performance.now() - since) / 1000;
// pgvector keeps the graph in maintenance_work_mem while it fits (~4 KB per 1536-d halfvec with m 16):
// 6 KB per row leaves room, between 1 GB and 8 GB. Set on the build's own connection only.
const workMem = (rows: number) => `${Math.min(8192, Math.max(1024, Math.ceil((rows * 6) / 1024)))}MB`;

/**
 * Checkpoints the server has begun so far (timed and requested). A checkpoint flushing a bulk load's WAL while
 * the questions run was suspected of the 1M p95's swings between runs (BENCHMARKS.md; none began during the
 * questions of the run that first counted them): each tenant's line says how many began during its questions.
 */
async function checkpoints(db: Database): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    'SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter',
  );
  return Number(rows[0]?.n ?? 0);
}

const rows: BenchRow[] = [];

/** 100 small tenants sharing half the chunks, and one large tenant with the other half. */
function corpusSpecs(total: number) {
  const perSmall = Math.max(1, Math.round(total / 2 / 100));
  return [
    { name: 'large', size: total - perSmall * 100, seed: 2 },
    ...Array.from({ length: 100 }, (_, i) => ({ name: `small-${i}`, size: perSmall, seed: 100 + i })),
  ];
}

/**
 * The questions again on a corpus kept by BENCH_RETRIEVAL_NATIVE_KEEP (BENCH_RETRIEVAL_NATIVE_REUSE=<its name>),
 * with this tree's migrations applied to it (a changed lore.hybrid_search), without the 20-40 minutes of load
 * and builds. Each tenant's space is drawn past its loaded rows, so the questions are the first ones the loading
 * run asked. The large tenant is measured on whichever index its searches take (its own, once built).
 */
async function remeasure(name: string): Promise<void> {
  const base = benchBaseUrl() as string;
  const db = createPostgresDatabase(urlFor(base, name), { max: 4 });
  try {
    await migrate(db);
    const { rows: sized } = await db.pool.query<{ name: string; id: string; n: number }>(
      `SELECT t.name, t.id, count(*)::int AS n FROM lore.chunks c JOIN lore.tenants t ON t.id = c.tenant_id
       WHERE t.name IN ('large', 'small-0') AND c.embedding_model = 'synthetic' GROUP BY t.name, t.id`,
    );
    const total = sized.reduce((n, r) => n + (r.name === 'large' ? r.n : r.n * 100), 0);
    const k = `${total / 1000}k`;
    const deadline = performance.now() + BUDGET_MS;
    const c = await db.pool.connect();
    const own = await listTenantVectorIndexes(c).finally(() => c.release());
    for (const spec of corpusSpecs(total).slice(0, 2)) {
      const row = sized.find((r) => r.name === spec.name);
      if (!row || row.n !== spec.size)
        throw new Error(`${name}: tenant ${spec.name} is not as the bench loads it`);
      const space = createVectorSpace(spec.seed, spec.size);
      for (let i = 0; i < spec.size; i++) space.draw();
      const ownIndex = own.some((ix) => ix.tenantId === row.id && ix.valid);
      const label = spec.name !== 'large' ? 'small' : ownIndex ? 'large, own index' : 'large, shared index';
      await measure(db, k, deadline, label, { id: row.id, size: spec.size, space });
    }
  } finally {
    await db.close();
  }
}

async function measure(db: Database, k: string, deadline: number, label: string, t: CorpusTenant) {
  if (performance.now() > deadline) throw new Error('run past its time budget before the queries');
  const checkpointsBefore = await checkpoints(db);
  const m = await measureTenant(db, t, QUERIES);
  const during = (await checkpoints(db)) - checkpointsBefore;
  const name = `${k} ${label} (${t.size})`;
  rows.push(
    { metric: `${name} vector recall@10`, baseline: 1, lore: m.vectorRecall },
    { metric: `${name} vector p50 ms`, baseline: m.p('exactVector', 0.5), lore: m.p('loreVector', 0.5) },
    {
      metric: `${name} vector p95 ms`,
      baseline: m.p('exactVector', 0.95),
      lore: m.p('loreVector', 0.95),
    },
    { metric: `${name} hybrid recall@10`, baseline: 1, lore: m.hybridRecall },
    { metric: `${name} hybrid p50 ms`, baseline: m.p('exactHybrid', 0.5), lore: m.p('loreHybrid', 0.5) },
    {
      metric: `${name} hybrid p95 ms`,
      baseline: m.p('exactHybrid', 0.95),
      lore: m.p('loreHybrid', 0.95),
    },
    {
      metric: `${name} hybrid recall@${ANSWER_CHUNKS} at k ${ANSWER_CHUNKS}`,
      baseline: 1,
      lore: m.answerKRecall,
    },
    {
      metric: `${name} hybrid p50 ms at k ${ANSWER_CHUNKS}, as the answer step asks (baseline: k 10)`,
      baseline: m.p('loreHybrid', 0.5),
      lore: m.p('loreHybridAnswerK', 0.5),
    },
    {
      metric: `${name} hybrid p95 ms at k ${ANSWER_CHUNKS}, as the answer step asks (baseline: k 10)`,
      baseline: m.p('loreHybrid', 0.95),
      lore: m.p('loreHybridAnswerK', 0.95),
    },
    {
      metric: `${name} hybrid p95 ms, Lore's questions alone (baseline: interleaved)`,
      baseline: m.p('loreHybrid', 0.95),
      lore: m.p('loreHybridAlone', 0.95),
    },
    {
      metric: `${name} hybrid p50 ms alone, halves at once (baseline: one call)`,
      baseline: m.p('loreHybridAloneOneCall', 0.5),
      lore: m.p('loreHybridAlone', 0.5),
    },
    {
      metric: `${name} hybrid p95 ms alone, halves at once (baseline: one call)`,
      baseline: m.p('loreHybridAloneOneCall', 0.95),
      lore: m.p('loreHybridAlone', 0.95),
    },
  );
  log(
    `${name}: recall@10 vector ${m.vectorRecall.toFixed(3)}, hybrid ${m.hybridRecall.toFixed(3)}; ` +
      `hybrid p50/p95 ${m.p('loreHybrid', 0.5).toFixed(1)}/${m.p('loreHybrid', 0.95).toFixed(1)} ms ` +
      `(k ${ANSWER_CHUNKS}: recall@${ANSWER_CHUNKS} ${m.answerKRecall.toFixed(3)}, ${m.p('loreHybridAnswerK', 0.5).toFixed(1)}/${m.p('loreHybridAnswerK', 0.95).toFixed(1)} ms) ` +
      `(alone ${m.p('loreHybridAlone', 0.5).toFixed(1)}/${m.p('loreHybridAlone', 0.95).toFixed(1)}, ` +
      `in one call ${m.p('loreHybridAloneOneCall', 0.5).toFixed(1)}/${m.p('loreHybridAloneOneCall', 0.95).toFixed(1)}); ` +
      `checkpoints while they ran: ${during}`,
  );
}

if (REUSE) await remeasure(REUSE);
for (const total of REUSE ? [] : sizes) {
  const deadline = performance.now() + BUDGET_MS;
  const database = await benchDatabase({ prefix: 'lore_bench_retr_' });
  if (!database) throw new Error('unreachable: the base URL was checked above');
  const { db } = database;
  const k = `${total / 1000}k`;
  try {
    const defs = await indexDefinitions(db);
    for (const name of defs.keys()) await db.pool.query(`DROP INDEX lore.${name}`);
    const specs = corpusSpecs(total);
    log(`${k}: loading into ${database.name}`);
    const loadStarted = performance.now();
    const tenants = await loadCorpus(db, specs, { deadline, onProgress: log });
    const loadSeconds = seconds(loadStarted);
    log(
      `${k}: ${total} chunks loaded in ${loadSeconds.toFixed(0)} s (${(total / loadSeconds).toFixed(0)}/s)`,
    );
    const build = (name: string) =>
      buildIndex(db, defs.get(name) as string, {
        maintenanceWorkMem: workMem(total),
        timeoutMs: deadline - performance.now(),
      });
    const ftsSeconds = await build('chunks_tenant_fts_idx');
    log(`${k}: full-text GIN index built in ${ftsSeconds.toFixed(0)} s`);
    const hnswSeconds = await build('chunks_embedding_hnsw_idx');
    log(`${k}: HNSW index built in ${hnswSeconds.toFixed(0)} s (maintenance_work_mem ${workMem(total)})`);
    // lore.hybrid_search sizes its exact-search threshold from pg_class.reltuples: let it see the load.
    await db.pool.query('ANALYZE lore.chunks');
    rows.push({
      metric: `${k} HNSW build s (baseline: bulk load s)`,
      baseline: loadSeconds,
      lore: hnswSeconds,
    });
    const [large, small] = tenants;
    if (large) await measure(db, k, deadline, 'large, shared index', large);
    if (small) await measure(db, k, deadline, 'small', small);
    if (large && large.size >= OWN_INDEX_MIN) {
      // What the worker's vector-indexes job does for a tenant past VECTOR_INDEX_MIN_CHUNKS: an HNSW index
      // of its own, built CONCURRENTLY beside the shared one; then the same questions' kind again.
      const started = performance.now();
      await syncVectorIndexes(db, {
        minChunks: large.size,
        buildMemoryMb: Number.parseInt(workMem(large.size), 10),
      });
      const ownSeconds = seconds(started);
      rows.push({
        metric: `${k} large tenant's own HNSW index build s (baseline: shared index s)`,
        baseline: hnswSeconds,
        lore: ownSeconds,
      });
      log(`${k}: the large tenant's own HNSW index built in ${ownSeconds.toFixed(0)} s`);
      await measure(db, k, deadline, 'large, own index', large);
    }
    if (INGEST > 0) {
      const rate = await measureIngestion(db, INGEST);
      rows.push({
        metric: `${k} ingest chunks/s (baseline: bulk load)`,
        baseline: total / loadSeconds,
        lore: rate,
      });
      log(`${k}: Lore's write path stored ${INGEST} chunks at ${rate.toFixed(0)}/s`);
    }
  } finally {
    if (KEEP) {
      log(`${k}: kept ${database.name} (BENCH_RETRIEVAL_NATIVE_KEEP): drop it with DROP DATABASE when done`);
      await db.close();
    } else {
      await database.drop();
    }
  }
}

reportBench({
  name: 'retrieval-native',
  description:
    `searchKnowledge (vector half and hybrid) vs exact search (baseline), ${QUERIES} queries per tenant, ` +
    'native PostgreSQL + pgvector',
  rows,
});
