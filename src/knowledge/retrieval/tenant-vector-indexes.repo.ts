import type { DbClient } from '../../infra/db/database.js';

/**
 * A large tenant's own HNSW index: a partial index on lore.chunks (`WHERE tenant_id = …`), named by
 * `lore.tenant_vector_index_name` (supabase/migrations/20261207000100_tenant_vector_indexes.sql), which
 * lore.hybrid_search looks for. DDL on lore.chunks needs its owner: these run on the pool's own role, never
 * inside withTenant, and CREATE/DROP INDEX CONCURRENTLY outside any transaction (so on a client of its own).
 */
export interface TenantVectorIndex {
  tenantId: string;
  name: string;
  /** False while a concurrent build runs, or after one failed (the planner ignores it then). */
  valid: boolean;
  bytes: number;
}

const NAME_PREFIX = 'chunks_embedding_hnsw_t_';

/** The tenant id a tenant index's name carries (32 hex digits), as a uuid. */
function tenantOfIndexName(name: string): string {
  const h = name.slice(NAME_PREFIX.length);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Every tenant index on lore.chunks, valid or not. */
export async function listTenantVectorIndexes(c: DbClient): Promise<TenantVectorIndex[]> {
  const { rows } = await c.query<{ name: string; valid: boolean; bytes: string }>(
    `SELECT ic.relname AS name, i.indisvalid AS valid, pg_relation_size(ic.oid)::text AS bytes
     FROM pg_catalog.pg_index i
     JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = 'lore.chunks'::regclass AND ic.relname ~ $1
     ORDER BY ic.relname`,
    [`^${NAME_PREFIX}[0-9a-f]{32}$`],
  );
  return rows.map((r) => ({
    tenantId: tenantOfIndexName(r.name),
    name: r.name,
    valid: r.valid,
    bytes: Number(r.bytes),
  }));
}

/**
 * Searchable chunks (documents.chunk_count of active versions) per tenant, for the tenants with at least
 * `minChunks` and for `alsoTenants` whatever their size (a tenant with no documents left is absent).
 */
export async function searchableChunksByTenant(
  c: DbClient,
  minChunks: number,
  alsoTenants: readonly string[],
): Promise<Map<string, number>> {
  const { rows } = await c.query<{ tenant_id: string; chunks: string }>(
    `SELECT tenant_id, sum(chunk_count)::text AS chunks
     FROM lore.documents
     WHERE active_version_id IS NOT NULL
     GROUP BY tenant_id
     HAVING sum(chunk_count) >= $1 OR tenant_id = ANY ($2::uuid[])`,
    [minChunks, alsoTenants],
  );
  return new Map(rows.map((r) => [r.tenant_id, Number(r.chunks)]));
}

/**
 * Builds the tenant's index without blocking writes (CREATE INDEX CONCURRENTLY: two passes over the
 * table, then it waits for older transactions); the statement is formatted by Postgres (%I, %L), the tenant
 * id cast to uuid. The shared chunks_embedding_hnsw_idx's operator class and `m` (16), a larger
 * `ef_construction` (128, not 64): at 500,000 chunks the graph built with 64 kept recall@10 at 0.923
 * whatever ef_search, 128 reaches 0.980-0.987 (for 1.3x the build time). `m` must stay the shared index's:
 * pgvector's cost estimate grows with it, and with m 20 the planner walked the shared index instead
 * (BENCHMARKS.md, "Retrieval on native pgvector").
 */
export async function buildTenantVectorIndex(
  c: DbClient,
  tenantId: string,
  maintenanceWorkMemMb: number,
): Promise<void> {
  const { rows } = await c.query<{ ddl: string }>(
    `SELECT format(
       'CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON lore.chunks USING hnsw (embedding %I.halfvec_cosine_ops) '
       'WITH (m = 16, ef_construction = 128) WHERE tenant_id = %L::uuid',
       lore.tenant_vector_index_name($1::uuid), n.nspname, $1::uuid) AS ddl
     FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'vector'`,
    [tenantId],
  );
  const ddl = rows[0]?.ddl;
  if (!ddl) throw new Error('buildTenantVectorIndex: the vector extension is not installed');
  // Session settings for this build only (reset below): the graph is built in memory while it fits, and
  // a build of a large tenant runs for minutes, past any statement timeout the role may have.
  await c.query(
    `SELECT set_config('maintenance_work_mem', $1, false), set_config('statement_timeout', '0', false)`,
    [`${maintenanceWorkMemMb}MB`],
  );
  try {
    await c.query(ddl);
  } finally {
    await c.query('RESET maintenance_work_mem; RESET statement_timeout');
  }
}

/** Drops a tenant index by its listed name (CONCURRENTLY: searches running on it finish first). */
export async function dropTenantVectorIndex(c: DbClient, name: string): Promise<void> {
  const { rows } = await c.query<{ ddl: string }>(
    `SELECT format('DROP INDEX CONCURRENTLY IF EXISTS lore.%I', $1::text) AS ddl`,
    [name],
  );
  await c.query(rows[0]?.ddl as string);
}

// One lock for every process: two builds at once would each hold a CPU and maintenance_work_mem, and a
// concurrent build in progress looks like a failed one (not yet valid) to a second reconciler.
const LOCK_KEY = "hashtextextended('lore.tenant_vector_indexes', 0)";

/** Takes the session-level lock of index maintenance on this connection; false when another holds it. */
export async function tryLockVectorIndexMaintenance(c: DbClient): Promise<boolean> {
  const { rows } = await c.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS locked`);
  return rows[0]?.locked === true;
}

export async function unlockVectorIndexMaintenance(c: DbClient): Promise<void> {
  await c.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
}
