import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import {
  loadSyntheticTenants,
  type SyntheticTenant,
  vectorText,
} from '../../tests/support/synthetic-chunks.js';
import { quantile } from './load.js';
import { type BenchRow, reportBench } from './report.js';

/**
 * Retrieval latency (p50/p95) and recall@10 of searchKnowledge's vector half against exact search (the
 * baseline, measured in the same run), for one of 100 small tenants and for one large tenant sharing
 * the HNSW index. Half the chunks belong to the large tenant, half are spread over the 100 others.
 * Synthetic normalised 1536-d vectors (tests/support/synthetic-chunks.ts). Sizes come from
 * BENCH_RETRIEVAL_SIZES (default 10000): PGlite builds a 1536-d HNSW graph at ~30 ms per vector, so
 * 100k would take an estimated 1-2 hours and 300k likely exceeds its 32-bit heap (see BENCHMARKS.md).
 */
const sizes = (process.env.BENCH_RETRIEVAL_SIZES ?? '10000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_RETRIEVAL_QUERIES ?? 50);
const log = (m: string) => process.stderr.write(`  [retrieval] ${m}\n`);

async function measure(
  t: SyntheticTenant,
  exact: (q: string) => Promise<string[]>,
  lore: (q: string) => Promise<string[]>,
) {
  const times = { exact: [] as number[], lore: [] as number[] };
  let found = 0;
  for (let i = 0; i < QUERIES; i++) {
    const q = vectorText(t.space.next());
    // Alternate which goes first so caching favours neither.
    const order = i % 2 === 0 ? (['exact', 'lore'] as const) : (['lore', 'exact'] as const);
    const got: Record<string, string[]> = {};
    for (const which of order) {
      const t0 = performance.now();
      got[which] = await (which === 'exact' ? exact : lore)(q);
      times[which].push(performance.now() - t0);
    }
    const truth = new Set(got.exact);
    found += (got.lore ?? []).filter((id) => truth.has(id)).length;
  }
  times.exact.sort((a, b) => a - b);
  times.lore.sort((a, b) => a - b);
  return { times, recall: found / (QUERIES * 10) };
}

const rows: BenchRow[] = [];
for (const total of sizes) {
  const db = await createEmbeddedDatabase('memory://');
  try {
    await migrate(db);
    const started = performance.now();
    const perSmall = Math.max(1, Math.round(total / 2 / 100));
    const specs = [
      { name: 'large', size: total - perSmall * 100, seed: 2 },
      ...Array.from({ length: 100 }, (_, i) => ({ name: `small-${i}`, size: perSmall, seed: 100 + i })),
    ];
    const tenants = await loadSyntheticTenants(db, specs, {
      rebuildIndex: true,
      onProgress: (m) => m.startsWith('built') && log(m),
    });
    log(`${total} chunks loaded and indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    for (const [label, t] of [
      ['large', tenants[0]],
      ['small', tenants[1]],
    ] as const) {
      if (!t) continue;
      const exact = (q: string) =>
        withTransaction(db, async (c) => {
          const { rows: r } = await c.query(
            `WITH mine AS MATERIALIZED (SELECT id, embedding FROM lore.chunks WHERE tenant_id = $1)
             SELECT id::text FROM mine ORDER BY embedding <=> $2::halfvec, id LIMIT 10`,
            [t.id, q],
          );
          return r.map((x) => x.id as string);
        });
      const lore = (q: string) =>
        withTenant(db, t.id, async (c) => {
          const { hits } = await searchKnowledge(c, t.id, {
            query: '',
            embedding: JSON.parse(q) as number[],
            k: 10,
          });
          return hits.map((h) => h.chunkId);
        });
      const m = await measure(t, exact, lore);
      const name = `${total / 1000}k ${label} (${t.size})`;
      rows.push(
        {
          metric: `${name} p50 ms`,
          baseline: quantile(m.times.exact, 0.5),
          lore: quantile(m.times.lore, 0.5),
        },
        {
          metric: `${name} p95 ms`,
          baseline: quantile(m.times.exact, 0.95),
          lore: quantile(m.times.lore, 0.95),
        },
        { metric: `${name} recall@10`, baseline: 1, lore: m.recall },
      );
      log(`${name}: recall@10 ${m.recall.toFixed(3)}`);
    }
  } finally {
    await db.close();
  }
}

reportBench({
  name: 'retrieval',
  description: `searchKnowledge vector search vs exact search (baseline), ${QUERIES} queries per tenant, PGlite`,
  rows,
});
