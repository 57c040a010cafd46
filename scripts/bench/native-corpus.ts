import type pg from 'pg';
import type { Database } from '../../src/infra/db/database.js';
import {
  createSyntheticDocument,
  createVectorSpace,
  halfvecBinary,
  seededRandom,
} from '../../tests/support/synthetic-chunks.js';
import { CHUNK_TOKENS, chunkText } from './synthetic-text.js';

/**
 * Bulk set-up of a synthetic corpus on native Postgres for retrieval-native.bench.ts (owner role, not app
 * code): tenants with one ready document each, chunks with topic words and synthetic 1536-d vectors.
 */

export interface CorpusTenant {
  id: string;
  size: number;
  space: ReturnType<typeof createVectorSpace>;
}

// 500 rows (1.5 MB of binary halfvecs) per INSERT: far fewer round trips than row by row, and one
// statement's parameters (3 + 2 × rows) stay well under Postgres's 65,535.
const ROWS_PER_INSERT = 500;

const SECONDARY_INDEXES = ['chunks_embedding_hnsw_idx', 'chunks_tenant_fts_idx'];

/** The definitions of the indexes a bulk load drops and rebuilds (the migrations' own, read back). */
export async function indexDefinitions(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'lore' AND indexname = ANY ($1)`,
    [SECONDARY_INDEXES],
  );
  return new Map(rows.map((r) => [r.indexname, r.indexdef]));
}

function insertBatch(
  c: pg.ClientBase,
  ids: { tenantId: string; documentId: string; versionId: string },
  offset: number,
  rows: Array<{ vector: Buffer; text: string }>,
) {
  const values = rows.map((_, i) => `(${offset + i}, $${4 + 2 * i}, $${5 + 2 * i}::halfvec)`).join(',');
  return c.query(
    `INSERT INTO lore.chunks (tenant_id, document_id, version_id, ordinal, title, content, token_count,
       embedding, embedding_model, embedding_dims)
     SELECT $1::uuid, $2::uuid, $3::uuid, v.o, 'Synthetic', v.t, ${CHUNK_TOKENS}, v.e, 'synthetic', 1536
     FROM (VALUES ${values}) AS v(o, t, e)`,
    [ids.tenantId, ids.documentId, ids.versionId, ...rows.flatMap((r) => [r.text, r.vector])],
  );
}

/**
 * Loads the tenants on one connection with multi-row INSERTs, vectors as binary parameters (pg sends a
 * Buffer as binary, pgvector reads it with halfvec_recv: no float text to print or parse). The next batch
 * is generated while the previous one is in flight, so Node's vector maths overlaps Postgres's work.
 * `deadline` (performance.now() ms) bounds the load: past it, the load throws rather than run on.
 */
export async function loadCorpus(
  db: Database,
  specs: Array<{ name: string; size: number; seed: number }>,
  opts: { deadline: number; onProgress?: (message: string) => void },
): Promise<CorpusTenant[]> {
  const c = await db.pool.connect();
  try {
    const tenants: CorpusTenant[] = [];
    for (const spec of specs) {
      const ids = await createSyntheticDocument(db, spec.name, spec.size);
      const space = createVectorSpace(spec.seed, spec.size);
      const words = seededRandom(spec.seed ^ 0x5eed);
      const batch = (n: number) =>
        Array.from({ length: n }, () => {
          const { vector, topic } = space.draw();
          return { vector: halfvecBinary(vector), text: chunkText(topic, words) };
        });
      let inFlight: Promise<unknown> = Promise.resolve();
      for (let offset = 0; offset < spec.size; offset += ROWS_PER_INSERT) {
        const rows = batch(Math.min(ROWS_PER_INSERT, spec.size - offset));
        await inFlight;
        if (performance.now() > opts.deadline) throw new Error('corpus load ran past its time budget');
        inFlight = insertBatch(c, ids, offset, rows);
      }
      await inFlight;
      if (spec.size >= 10_000) opts.onProgress?.(`loaded ${spec.name}: ${spec.size} chunks`);
      tenants.push({ id: ids.tenantId, size: spec.size, space });
    }
    return tenants;
  } finally {
    c.release();
  }
}

/**
 * Builds one index on a connection of its own, with `maintenance_work_mem` raised for this session only
 * (pgvector builds the HNSW graph in memory when it fits, page by page otherwise: many times slower) and
 * `statement_timeout` at what is left of the budget. Returns the build's wall-clock seconds.
 */
export async function buildIndex(
  db: Database,
  definition: string,
  opts: { maintenanceWorkMem: string; timeoutMs: number },
): Promise<number> {
  const c = await db.pool.connect();
  try {
    await c.query(`SET maintenance_work_mem = '${opts.maintenanceWorkMem}'`);
    await c.query(`SET statement_timeout = ${Math.max(1, Math.floor(opts.timeoutMs))}`);
    const started = performance.now();
    await c.query(definition);
    return (performance.now() - started) / 1000;
  } finally {
    // RESET before the connection goes back to the pool, so no later statement inherits the settings.
    await c.query('RESET maintenance_work_mem; RESET statement_timeout').catch(() => {});
    c.release();
  }
}
