import { readFileSync } from 'node:fs';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { insertCollection } from '../../src/knowledge/collections/collections.repo.js';
import { moveDocuments } from '../../src/knowledge/documents.repo.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { insertTenant } from '../../src/tenants/tenants.repo.js';
import { fakeEmbedding } from '../../tests/support/fake-embeddings.js';
import { SEARCH_TEST_MODEL, storeSearchableDocument } from '../../tests/support/search-documents.js';
import { quantile } from './load.js';
import { type BenchRow, reportBench } from './report.js';

/**
 * What scoping a question to a channel's collections costs in lore.hybrid_search: the Kestrel corpus
 * (tests/fixtures/eval) copied COPIES times into one tenant, its documents spread over three collections;
 * every Kestrel question searched (full-text + vector, fake embedder) with p_collections = one collection
 * against the unscoped search (the baseline, same run, alternating which goes first). Also checks that no
 * scoped hit comes from another collection.
 */
const COPIES = Number(process.env.BENCH_SCOPE_COPIES ?? 4);
const dir = 'tests/fixtures/eval';
const lines = (f: string) => readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter(Boolean);
const corpus = lines('corpus.jsonl').map(
  (l) => JSON.parse(l) as { _id: string; title: string; text: string },
);
const queries = lines('queries.jsonl').map((l) => (JSON.parse(l) as { text: string }).text);

/** ~60-word passages, as the chunker would cut a short handbook page. */
const passagesOf = (text: string) => {
  const words = text.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 60) out.push(words.slice(i, i + 60).join(' '));
  return out;
};

const db = await createEmbeddedDatabase('memory://');
const rows: BenchRow[] = [];
try {
  await migrate(db);
  const tenant = await withTransaction(db, (c) =>
    insertTenant(c, {
      slackTeamId: 'TBENCHSCOPE',
      slackEnterpriseId: null,
      isEnterpriseInstall: false,
      name: 'bench',
    }),
  );
  const scoped = await withTenant(db, tenant.id, async (c) => {
    const ids = [
      (await insertCollection(c, tenant.id, { name: 'HR', description: '' })) as string,
      (await insertCollection(c, tenant.id, { name: 'Engineering', description: '' })) as string,
    ];
    let n = 0;
    for (let copy = 0; copy < COPIES; copy++) {
      for (const d of corpus) {
        const { documentId } = await storeSearchableDocument(
          c,
          tenant.id,
          `${d.title} ${copy}`,
          passagesOf(d.text).map((content) => ({ content })),
        );
        const target = ids[n++ % 3];
        if (target) await moveDocuments(c, [documentId], target);
      }
    }
    return ids[0] as string;
  });
  const chunks = (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.chunks')).rows[0]
    ?.n;
  const times = { all: [] as number[], scoped: [] as number[] };
  let leaked = 0;
  for (const [i, query] of queries.entries()) {
    const order = i % 2 === 0 ? (['all', 'scoped'] as const) : (['scoped', 'all'] as const);
    for (const which of order) {
      const t0 = performance.now();
      const { hits } = await withTenant(db, tenant.id, (c) =>
        searchKnowledge(c, tenant.id, {
          query,
          embedding: fakeEmbedding(query),
          embeddingModel: SEARCH_TEST_MODEL,
          k: 12,
          collectionIds: which === 'scoped' ? [scoped] : null,
        }),
      );
      times[which].push(performance.now() - t0);
      if (which === 'scoped' && hits.length > 0) {
        const { rows: r } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM lore.documents WHERE id = ANY ($1::uuid[]) AND collection_id <> $2',
          [hits.map((h) => h.documentId), scoped],
        );
        leaked += r[0]?.n ?? 0;
      }
    }
  }
  times.all.sort((a, b) => a - b);
  times.scoped.sort((a, b) => a - b);
  rows.push(
    {
      metric: `${chunks} chunks p50 ms`,
      baseline: quantile(times.all, 0.5),
      lore: quantile(times.scoped, 0.5),
    },
    {
      metric: `${chunks} chunks p95 ms`,
      baseline: quantile(times.all, 0.95),
      lore: quantile(times.scoped, 0.95),
    },
    {
      metric: 'hits from other collections',
      baseline: 0,
      lore: leaked,
      ratio: leaked === 0 ? 1 : Number.POSITIVE_INFINITY,
    },
  );
} finally {
  await db.close();
}

reportBench({
  name: 'collection-scope',
  description: `hybrid search scoped to 1 of 3 collections vs unscoped (baseline), ${queries.length} Kestrel questions, PGlite`,
  rows,
});
