import type { Database } from '../../src/infra/db/database.js';

/** Dimensions of the chunks.embedding column. */
export const DIMENSIONS = 1536;

/** mulberry32: a small seeded PRNG, so every run generates the same vectors. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Topics every tenant draws from: tenants write about the same things (leave, expenses, VPN, ...). */
const TOPICS = 256;
let topicPool: Float32Array[] | undefined;

function topics(): Float32Array[] {
  if (!topicPool) {
    const random = seededRandom(20261123);
    topicPool = Array.from({ length: TOPICS }, () =>
      Float32Array.from({ length: DIMENSIONS }, () => gaussian(random)),
    );
  }
  return topicPool;
}

/**
 * A tenant's synthetic embedding space: it covers √size of 256 shared topics (all of them for a large
 * tenant); each vector is a topic centre plus Gaussian noise of the same scale, L2-normalised (cosine
 * ≈ 0.5 within a topic, ≈ 0 across topics). As with real embeddings, tenants overlap in the same
 * regions, so a small tenant's nearest neighbours sit among other tenants' vectors, and within a
 * topic the true top 10 are close calls.
 */
export function createVectorSpace(seed: number, size: number) {
  const random = seededRandom(seed);
  const pool = topics();
  const count = Math.min(TOPICS, Math.max(2, Math.round(Math.sqrt(size))));
  const order = pool.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const picked = order.slice(0, count);
  /** The next vector and the shared topic it was drawn around (benchmarks give it matching words). */
  const draw = (): { vector: Float32Array; topic: number } => {
    const topic = picked[Math.floor(random() * picked.length)] as number;
    const centre = pool[topic] as Float32Array;
    const v = new Float32Array(DIMENSIONS);
    let norm = 0;
    for (let i = 0; i < DIMENSIONS; i++) {
      const x = (centre[i] as number) + gaussian(random);
      v[i] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMENSIONS; i++) v[i] = (v[i] as number) / norm;
    return { vector: v, topic };
  };
  return {
    draw,
    /** The next vector (documents and queries alike: queries are fresh draws, not stored vectors). */
    next: (): Float32Array => draw().vector,
  };
}

/** How many shared topics the synthetic spaces draw from (a topic index is below this). */
export const TOPIC_COUNT = TOPICS;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half precision bits of a float (round to nearest), as pgvector stores halfvec elements. */
export function toHalfBits(x: number): number {
  f32[0] = x;
  const b = u32[0] as number;
  const sign = (b >>> 16) & 0x8000;
  const exp = ((b >>> 23) & 0xff) - 127 + 15;
  let mant = b & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    return sign | ((mant >> shift) + ((mant >> (shift - 1)) & 1));
  }
  if (exp >= 31) return sign | 0x7c00;
  return (sign | (exp << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}

/** pgvector's binary halfvec format (halfvec_recv): int16 dims, int16 unused, then big-endian halves. */
export function halfvecBinary(v: Float32Array): Buffer {
  const buf = Buffer.allocUnsafe(4 + v.length * 2);
  buf.writeInt16BE(v.length, 0);
  buf.writeInt16BE(0, 2);
  for (let i = 0; i < v.length; i++) buf.writeUInt16BE(toHalfBits(v[i] as number), 4 + 2 * i);
  return buf;
}

/** pgvector's text form, for query parameters. */
export const vectorText = (v: Float32Array) => `[${Array.from(v).join(',')}]`;

export interface SyntheticTenant {
  id: string;
  size: number;
  space: ReturnType<typeof createVectorSpace>;
}

/**
 * A tenant (`name` as its Slack team) on the business plan with one ready document whose version will hold
 * `chunks` chunks, as the owner role (set-up, not app code). The caller inserts the chunks.
 */
export async function createSyntheticDocument(
  db: Database,
  name: string,
  chunks: number,
): Promise<{ tenantId: string; documentId: string; versionId: string }> {
  const q = (sql: string, params?: unknown[]) => db.pool.query(sql, params);
  // The tenant first, in a statement of its own: its default collection is made by a trigger, and a
  // document inserted in the same statement could not see it yet (one snapshot per statement).
  const { rows: tenant } = await q(
    `INSERT INTO lore.tenants (slack_team_id, name, plan_id) VALUES ($1, $1, 'business') RETURNING id`,
    [name],
  );
  const { rows } = await q(
    `WITH d AS (INSERT INTO lore.documents (tenant_id, title, source_name, status)
                VALUES ($1, 'Synthetic', 'synthetic.md', 'ready') RETURNING id, tenant_id),
          v AS (INSERT INTO lore.document_versions (tenant_id, document_id, version, checksum_sha256, byte_size,
                  media_type, blob_key, status)
                SELECT tenant_id, id, 1, repeat('0', 64), 0, 'text/markdown', 'synthetic', 'ready' FROM d
                RETURNING id, document_id, tenant_id)
     SELECT tenant_id AS "tenantId", document_id AS "documentId", id AS "versionId" FROM v`,
    [tenant[0]?.id],
  );
  const made = rows[0] as { tenantId: string; documentId: string; versionId: string };
  await q(
    'UPDATE lore.documents SET active_version_id = $1, latest_version = 1, chunk_count = $2 WHERE id = $3',
    [made.versionId, chunks, made.documentId],
  );
  return made;
}

const ROWS_PER_INSERT = 500;

/**
 * Creates tenants with one ready document each and `size` embedded chunks, as the owner role (test
 * set-up, not app code). Vectors go over the wire in binary (pg sends Buffers as binary parameters),
 * which is what makes tens of thousands of 1536-d rows loadable in seconds. With `rebuildIndex` the
 * shared HNSW index is dropped during the load and rebuilt with its exact definition afterwards: a
 * bulk build is about 3× faster than inserting row by row into the graph.
 */
export async function loadSyntheticTenants(
  db: Database,
  specs: Array<{ name: string; size: number; seed: number }>,
  opts: { rebuildIndex?: boolean; onProgress?: (message: string) => void } = {},
): Promise<SyntheticTenant[]> {
  const q = (sql: string, params?: unknown[]) => db.pool.query(sql, params);
  const { rows: idx } = await q(
    `SELECT indexdef FROM pg_indexes WHERE schemaname = 'lore' AND indexname = 'chunks_embedding_hnsw_idx'`,
  );
  const indexDef = idx[0]?.indexdef as string | undefined;
  if (opts.rebuildIndex && indexDef) await q('DROP INDEX lore.chunks_embedding_hnsw_idx');
  const tenants: SyntheticTenant[] = [];
  for (const spec of specs) {
    const { tenantId, documentId, versionId } = await createSyntheticDocument(db, spec.name, spec.size);
    const space = createVectorSpace(spec.seed, spec.size);
    for (let offset = 0; offset < spec.size; offset += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, spec.size - offset);
      const vectors = Array.from({ length: n }, () => halfvecBinary(space.next()));
      const values = vectors.map((_, i) => `(${offset + i}, $${i + 4}::halfvec)`).join(',');
      await q(
        `INSERT INTO lore.chunks (tenant_id, document_id, version_id, ordinal, title, content, token_count,
           embedding, embedding_model, embedding_dims)
         SELECT $1::uuid, $2::uuid, $3::uuid, v.o, 'Synthetic', 'synthetic chunk ' || v.o, 3, v.e, 'synthetic', 1536
         FROM (VALUES ${values}) AS v(o, e)`,
        [tenantId, documentId, versionId, ...vectors],
      );
    }
    opts.onProgress?.(`loaded ${spec.name}: ${spec.size} chunks`);
    tenants.push({ id: tenantId, size: spec.size, space });
  }
  if (opts.rebuildIndex && indexDef) {
    const started = performance.now();
    // The whole graph fits in memory, so pgvector builds it there instead of page by page.
    await q(`SET maintenance_work_mem = '1GB'`);
    await q(indexDef);
    await q('RESET maintenance_work_mem');
    opts.onProgress?.(`built HNSW index in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await q('ANALYZE lore.chunks');
  return tenants;
}

/** The true 10 nearest of the tenant's chunks to `vector` (pgvector text): every row compared, no index. */
export async function exactTop10(db: Database, tenantId: string, vector: string): Promise<string[]> {
  const { rows } = await db.pool.query(
    `WITH mine AS MATERIALIZED (SELECT id, embedding FROM lore.chunks WHERE tenant_id = $1)
     SELECT id::text FROM mine ORDER BY embedding <=> $2::halfvec, id LIMIT 10`,
    [tenantId, vector],
  );
  return rows.map((r) => r.id as string);
}

/**
 * Scans of one index so far, as `db`'s one connection counted them. Native Postgres keeps a backend's
 * counters pending until it has been idle a while; this flushes them when the statement ends, so the next
 * read sees every scan so far (PGlite has one backend). 0 for an index that does not exist.
 */
export async function indexScans(db: Database, indexName: string): Promise<number> {
  await db.pool.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await db.pool.query(
    'SELECT idx_scan::int AS n FROM pg_stat_user_indexes WHERE indexrelname = $1',
    [indexName],
  );
  return (rows[0]?.n as number | undefined) ?? 0;
}
