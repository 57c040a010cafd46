import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CliContext, createCliOutput } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createPostgresDatabase, type Database } from '../../src/infra/db/database.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { searchKnowledge } from '../../src/knowledge/retrieval/search.service.js';
import { listTenantVectorIndexes } from '../../src/knowledge/retrieval/tenant-vector-indexes.repo.js';
import {
  describeVectorIndexes,
  syncVectorIndexes,
} from '../../src/knowledge/retrieval/tenant-vector-indexes.service.js';
import { vectorIndexesJob } from '../../src/knowledge/retrieval/vector-indexes.job.js';
import { createLogger } from '../../src/logger.js';
import {
  exactTop10,
  indexScans,
  loadSyntheticTenants,
  type SyntheticTenant,
  vectorText,
} from '../support/synthetic-chunks.js';
import { createNativeDatabaseFrom, createTestDatabase, onNativePostgres } from '../support/test-db.js';

/**
 * A large tenant's own HNSW index (20261207000100_tenant_vector_indexes.sql): built by the worker's
 * vector-indexes job (`syncVectorIndexes`) for a tenant past VECTOR_INDEX_MIN_CHUNKS, taken by
 * lore.hybrid_search by itself, dropped when the tenant shrinks or a build was left invalid. Native Postgres
 * only: the builds are refused on PGlite (one connection, held for the whole build).
 */
const POLICY = { minChunks: 2_500, buildMemoryMb: 256 };

/** One run of the hourly vector-indexes job, as the worker runs it. */
const runJob = (db: Database) =>
  vectorIndexesJob.bind({ db, logger: createLogger({ level: 'silent' }), vectorIndexes: POLICY })(
    { v: 1 },
    { jobId: 'test', attempt: 1, name: vectorIndexesJob.name },
  );

/** `npm run cli -- vector-indexes …` with what those commands use (the policy and the database). */
async function cli(db: Database, ...argv: string[]) {
  const out = createCliOutput();
  const ctx = { config: { vectorIndexes: POLICY }, db } as unknown as CliContext;
  const exitCode = await runCli(['vector-indexes', ...argv], ctx, out);
  return { exitCode, text: out.text() };
}

describe.skipIf(!onNativePostgres)('a large tenant gets an HNSW index of its own', () => {
  let db: Database & { url: string };
  // One connection for searches and index counters: a backend's counters are its own until flushed.
  let searches: Database;
  let large: SyntheticTenant;
  let mid: SyntheticTenant;
  let small: SyntheticTenant;

  beforeAll(async () => {
    db = await createNativeDatabaseFrom(inject('nativeTemplate'));
    searches = createPostgresDatabase(db.url, { max: 1 });
    [large, mid, small] = (await loadSyntheticTenants(
      db,
      [
        { name: 'large', size: 3_000, seed: 2 },
        { name: 'mid', size: 2_000, seed: 3 },
        { name: 'small', size: 50, seed: 4 },
      ],
      { rebuildIndex: true },
    )) as [SyntheticTenant, SyntheticTenant, SyntheticTenant];
  }, 300_000);
  afterAll(async () => {
    await searches?.close();
    await db?.close();
  });

  const indexName = (t: SyntheticTenant) => `chunks_embedding_hnsw_t_${t.id.replaceAll('-', '')}`;
  const scansOf = (name: string) => indexScans(searches, name);
  const search = (t: SyntheticTenant, q: string) =>
    withTenant(searches, t.id, async (c) => {
      const { hits } = await searchKnowledge(c, t.id, { query: '', embedding: JSON.parse(q), k: 10 });
      return hits.map((h) => h.chunkId);
    });
  /** Recall@10 against exact search over 10 fresh questions, and the scans each index saw meanwhile. */
  async function measure(t: SyntheticTenant) {
    const names = [indexName(t), 'chunks_embedding_hnsw_idx'];
    const before = await Promise.all(names.map(scansOf));
    let found = 0;
    for (let i = 0; i < 10; i++) {
      const q = vectorText(t.space.next());
      const truth = new Set(await exactTop10(db, t.id, q));
      found += (await search(t, q)).filter((id) => truth.has(id)).length;
    }
    const after = await Promise.all(names.map(scansOf));
    return {
      recall: found / 100,
      own: (after[0] ?? 0) - (before[0] ?? 0),
      shared: (after[1] ?? 0) - (before[1] ?? 0),
    };
  }

  it('plans an index only for the tenant past the size, and the sync builds it', async () => {
    const { indexes, plan } = await describeVectorIndexes(db, POLICY);
    expect(indexes).toEqual([]);
    expect(plan).toEqual([{ kind: 'build', tenantId: large.id, chunks: 3_000 }]);

    const seen: string[] = [];
    const result = await syncVectorIndexes(db, POLICY, (a, phase) => seen.push(`${a.kind} ${phase}`));
    expect(result).toEqual({ status: 'done', actions: plan });
    expect(seen).toEqual(['build start', 'build done']);
    const [own] = await withTransaction(db, listTenantVectorIndexes);
    expect(own).toMatchObject({ tenantId: large.id, name: indexName(large), valid: true });
    expect(own?.bytes).toBeGreaterThan(0);
    // Built once: a second run finds nothing to do, and the operator sees the index.
    expect(await syncVectorIndexes(db, POLICY)).toEqual({ status: 'done', actions: [] });
    const listed = await cli(db, 'list');
    expect(listed.exitCode).toBe(0);
    expect(listed.text).toMatch(new RegExp(`${large.id}\\s+3,000\\s+\\d+\\s+yes`));
    expect(listed.text).toContain('Nothing to do.');
    expect(await cli(db, 'sync')).toMatchObject({
      exitCode: 0,
      text: expect.stringContaining('Nothing to do'),
    });
  }, 120_000);

  it("searches of the large tenant walk its own index, with recall@10 of at least 0.98; others' the shared one", async () => {
    const l = await measure(large);
    expect(l.recall).toBeGreaterThanOrEqual(0.98);
    expect(l.own).toBeGreaterThanOrEqual(10);
    expect(l.shared).toBe(0);

    const m = await measure(mid); // past the exact-search threshold (about 1,700 here), no index of its own
    expect(m.recall).toBeGreaterThanOrEqual(0.98);
    expect(m.shared).toBeGreaterThanOrEqual(10);

    const s = await measure(small); // exact search: no index at all
    expect(s).toEqual({ recall: 1, own: 0, shared: 0 });
  }, 120_000);

  it('says "busy" and changes nothing while another process holds the maintenance lock', async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtextextended('lore.tenant_vector_indexes', 0))`);
      await db.pool.query('UPDATE lore.documents SET chunk_count = 2600 WHERE tenant_id = $1', [mid.id]);
      expect(await syncVectorIndexes(db, POLICY)).toEqual({ status: 'busy' });
      expect((await withTransaction(db, listTenantVectorIndexes)).map((i) => i.tenantId)).toEqual([large.id]);
    } finally {
      await db.pool.query('UPDATE lore.documents SET chunk_count = 2000 WHERE tenant_id = $1', [mid.id]);
      await holder.query(`SELECT pg_advisory_unlock(hashtextextended('lore.tenant_vector_indexes', 0))`);
      holder.release();
    }
  });

  it('an index a failed build left invalid is not searched, and the next sync drops it', async () => {
    // A build cut short by a statement timeout leaves its index behind, marked invalid.
    const c = await db.pool.connect();
    try {
      await c.query(`SET statement_timeout = '100ms'`);
      await expect(
        c.query(
          `CREATE INDEX CONCURRENTLY ${indexName(mid)} ON lore.chunks USING hnsw (embedding extensions.halfvec_cosine_ops)
           WHERE tenant_id = '${mid.id}'`,
        ),
      ).rejects.toThrow(/statement timeout/);
    } finally {
      c.release(true);
    }
    const { indexes, plan } = await describeVectorIndexes(db, POLICY);
    expect(indexes.find((i) => i.tenantId === mid.id)).toMatchObject({ valid: false, chunks: 2_000 });
    expect(plan).toEqual([{ kind: 'drop', tenantId: mid.id, name: indexName(mid), reason: 'invalid' }]);

    const m = await measure(mid);
    expect(m.own).toBe(0);
    expect(m.recall).toBeGreaterThanOrEqual(0.98);

    expect(await syncVectorIndexes(db, POLICY)).toMatchObject({ status: 'done', actions: plan });
    expect((await withTransaction(db, listTenantVectorIndexes)).map((i) => i.tenantId)).toEqual([large.id]);
  }, 60_000);

  it("drops the index once its tenant falls below half the size, and the tenant's searches go back to the shared one", async () => {
    await db.pool.query('UPDATE lore.documents SET chunk_count = 1200 WHERE tenant_id = $1', [large.id]);
    expect(await syncVectorIndexes(db, POLICY)).toEqual({
      status: 'done',
      actions: [{ kind: 'drop', tenantId: large.id, name: indexName(large), reason: 'small' }],
    });
    expect(await withTransaction(db, listTenantVectorIndexes)).toEqual([]);
    await db.pool.query('UPDATE lore.documents SET chunk_count = 3000 WHERE tenant_id = $1', [large.id]);
    const l = await measure(large);
    expect(l.shared).toBeGreaterThanOrEqual(10);
    expect(l.recall).toBeGreaterThanOrEqual(0.98);
  }, 60_000);

  it("the hourly job builds what is due, as the sync does, and the tenant's searches take it", async () => {
    await runJob(db);
    expect(await withTransaction(db, listTenantVectorIndexes)).toMatchObject([
      { tenantId: large.id, valid: true },
    ]);
    expect((await measure(large)).own).toBeGreaterThanOrEqual(10);
  }, 60_000);
});

describe.skipIf(onNativePostgres)('on embedded PGlite', () => {
  it('refuses to build a tenant index, saying why (one connection, held for the whole build)', async () => {
    const db = await createTestDatabase();
    try {
      await expect(syncVectorIndexes(db, POLICY)).rejects.toThrow(
        /Postgres only: embedded PGlite has one connection/,
      );
      const synced = await cli(db, 'sync');
      expect(synced.exitCode).toBe(1);
      expect(synced.text).toContain('Error: Tenant vector indexes are built on Postgres only');
      await runJob(db); // the hourly job has nothing to do on PGlite, and does not fail
      expect(await cli(db, 'list')).toMatchObject({
        exitCode: 0,
        text: expect.stringContaining('No tenant has an index of its own.'),
      });
    } finally {
      await db.close();
    }
  });
});
