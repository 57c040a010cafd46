import type { Database, DbClient } from '../../infra/db/database.js';
import {
  buildTenantVectorIndex,
  dropTenantVectorIndex,
  listTenantVectorIndexes,
  searchableChunksByTenant,
  type TenantVectorIndex,
  tryLockVectorIndexMaintenance,
  unlockVectorIndexMaintenance,
} from './tenant-vector-indexes.repo.js';

export type { TenantVectorIndex } from './tenant-vector-indexes.repo.js';

/** When a tenant gets an HNSW index of its own (VECTOR_INDEX_MIN_CHUNKS) and what a build may use. */
export interface VectorIndexPolicy {
  minChunks: number;
  buildMemoryMb: number;
}

export type VectorIndexAction =
  | { kind: 'build'; tenantId: string; chunks: number }
  | { kind: 'drop'; tenantId: string; name: string; reason: 'invalid' | 'small' };

/**
 * What to change, given each tenant's searchable chunks and the tenant indexes there are:
 * - an invalid index (a build that failed or was cut off) is dropped, and built again if still due;
 * - a tenant with at least `minChunks` and no valid index of its own gets one, largest tenant first;
 * - an index whose tenant fell below half of `minChunks` (documents deleted, the tenant purged) is dropped.
 *   Half, not `minChunks`: a tenant hovering at the line would otherwise be rebuilt and dropped in turn.
 */
export function planVectorIndexes(
  chunks: ReadonlyMap<string, number>,
  existing: readonly TenantVectorIndex[],
  minChunks: number,
): VectorIndexAction[] {
  const drops: VectorIndexAction[] = [];
  const indexed = new Set<string>();
  for (const ix of existing) {
    const size = chunks.get(ix.tenantId) ?? 0;
    if (!ix.valid) drops.push({ kind: 'drop', tenantId: ix.tenantId, name: ix.name, reason: 'invalid' });
    else if (size < minChunks / 2)
      drops.push({ kind: 'drop', tenantId: ix.tenantId, name: ix.name, reason: 'small' });
    else indexed.add(ix.tenantId);
  }
  const builds = [...chunks]
    .filter(([tenantId, size]) => size >= minChunks && !indexed.has(tenantId))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tenantId, size]): VectorIndexAction => ({ kind: 'build', tenantId, chunks: size }));
  return [...drops, ...builds];
}

export type VectorIndexSyncResult =
  | { status: 'done'; actions: VectorIndexAction[] }
  /** Another process holds the maintenance lock (a build is running there). */
  | { status: 'busy' };

/** The tenant indexes there are, the sizes of their tenants and of the tenants due one, and the plan. */
async function readPlan(client: DbClient, policy: VectorIndexPolicy) {
  const existing = await listTenantVectorIndexes(client);
  const chunks = await searchableChunksByTenant(
    client,
    policy.minChunks,
    existing.map((i) => i.tenantId),
  );
  return { existing, chunks, plan: planVectorIndexes(chunks, existing, policy.minChunks) };
}

/** Each tenant index with its tenant's searchable chunks, and whether the policy would build or drop any. */
export async function describeVectorIndexes(
  db: Database,
  policy: VectorIndexPolicy,
): Promise<{ indexes: (TenantVectorIndex & { chunks: number })[]; plan: VectorIndexAction[] }> {
  const client = await db.pool.connect();
  try {
    const { existing, chunks, plan } = await readPlan(client, policy);
    return { indexes: existing.map((i) => ({ ...i, chunks: chunks.get(i.tenantId) ?? 0 })), plan };
  } finally {
    client.release();
  }
}

/**
 * Brings the tenant indexes in line with the policy: drops first, then builds, one at a time, under one
 * lock for every process. Builds read the whole table and take minutes for a large tenant, so this runs in
 * the worker's maintenance lane (or by an operator), never where a request waits. Refused on embedded
 * PGlite: its one connection would be held for the whole build, and every answer would wait behind it.
 */
export async function syncVectorIndexes(
  db: Database,
  policy: VectorIndexPolicy,
  onAction: (a: VectorIndexAction, phase: 'start' | 'done') => void = () => {},
): Promise<VectorIndexSyncResult> {
  if (db.kind === 'pglite') {
    throw new Error(
      'Tenant vector indexes are built on Postgres only: embedded PGlite has one connection, which a build would hold for minutes',
    );
  }
  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    if (!(await tryLockVectorIndexMaintenance(client))) return { status: 'busy' };
    try {
      const { plan: actions } = await readPlan(client, policy);
      for (const a of actions) {
        onAction(a, 'start');
        if (a.kind === 'drop') await dropTenantVectorIndex(client, a.name);
        else await buildTenantVectorIndex(client, a.tenantId, policy.buildMemoryMb);
        onAction(a, 'done');
      }
      return { status: 'done', actions };
    } finally {
      // On a broken connection this fails too; the connection is then destroyed, which frees the lock.
      await unlockVectorIndexMaintenance(client).catch(() => {});
    }
  } catch (err) {
    // A connection that failed mid-build is not returned to the pool (its session lock dies with it).
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}
