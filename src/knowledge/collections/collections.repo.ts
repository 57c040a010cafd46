import type { DbClient } from '../../infra/db/database.js';

/** A collection with how much uses it (documents in it, channels mapped to it). */
export interface CollectionRecord {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  documentCount: number;
  channelIds: string[];
  createdAt: Date;
}

const SELECT = `SELECT c.id, c.name, c.description, c.is_default AS "isDefault", c.created_at AS "createdAt",
    (SELECT count(*)::int FROM lore.documents d WHERE d.tenant_id = c.tenant_id AND d.collection_id = c.id)
      AS "documentCount",
    ARRAY(SELECT cc.channel_id FROM lore.channel_collections cc
          WHERE cc.tenant_id = c.tenant_id AND cc.collection_id = c.id ORDER BY cc.channel_id) AS "channelIds"
  FROM lore.collections c`;

/** Every collection of the current tenant (RLS), the default first, then by name. */
export async function listCollections(c: DbClient): Promise<CollectionRecord[]> {
  const { rows } = await c.query<CollectionRecord>(`${SELECT} ORDER BY c.is_default DESC, lower(c.name)`);
  return rows;
}

export async function findCollection(c: DbClient, id: string): Promise<CollectionRecord | null> {
  const { rows } = await c.query<CollectionRecord>(`${SELECT} WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The ids among `ids` that are collections of the current tenant. */
export async function existingCollectionIds(c: DbClient, ids: string[]): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    'SELECT id FROM lore.collections WHERE id = ANY ($1::uuid[])',
    [ids],
  );
  return rows.map((r) => r.id);
}

/** The workspace default's id (every tenant has one: a trigger creates "Everyone" with the tenant). */
export async function defaultCollectionId(c: DbClient): Promise<string | null> {
  const { rows } = await c.query<{ id: string }>('SELECT id FROM lore.collections WHERE is_default');
  return rows[0]?.id ?? null;
}

/** The number of collections the tenant has (bounded per workspace). */
export async function countCollections(c: DbClient): Promise<number> {
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.collections');
  return rows[0]?.n ?? 0;
}

/** Creates a collection; null when the name is taken (case-insensitively). */
export async function insertCollection(
  c: DbClient,
  tenantId: string,
  v: { name: string; description: string },
): Promise<string | null> {
  const { rows } = await c.query<{ id: string }>(
    `INSERT INTO lore.collections (tenant_id, name, description) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, lower(name)) DO NOTHING RETURNING id`,
    [tenantId, v.name, v.description],
  );
  return rows[0]?.id ?? null;
}

/** Renames or re-describes a collection; false when the new name is another collection's. */
export async function updateCollection(
  c: DbClient,
  id: string,
  v: { name?: string; description?: string },
): Promise<boolean> {
  const clash = v.name
    ? await c.query('SELECT 1 FROM lore.collections WHERE lower(name) = lower($1) AND id <> $2', [v.name, id])
    : { rows: [] };
  if (clash.rows.length > 0) return false;
  try {
    await c.query(
      `UPDATE lore.collections SET name = coalesce($2, name), description = coalesce($3, description) WHERE id = $1`,
      [id, v.name ?? null, v.description ?? null],
    );
  } catch (err) {
    // Another admin took the name between the check and the update (the unique index decides).
    if (isUniqueViolation(err)) return false;
    throw err;
  }
  return true;
}

/** Postgres's unique_violation (23505). */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

/** Makes `id` the workspace default (the old default stops being one in the same statement order). */
export async function setDefaultCollection(c: DbClient, id: string): Promise<void> {
  await c.query('UPDATE lore.collections SET is_default = false WHERE is_default AND id <> $1', [id]);
  await c.query('UPDATE lore.collections SET is_default = true WHERE id = $1', [id]);
}

/** Deletes an empty, unused, non-default collection (the caller checked; the database refuses otherwise). */
export async function deleteCollection(c: DbClient, id: string): Promise<void> {
  await c.query('DELETE FROM lore.collections WHERE id = $1 AND NOT is_default', [id]);
}
