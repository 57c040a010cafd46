import type { DbClient } from '../../infra/db/database.js';

/** A channel's own settings: its collections (none: the workspace default) and prompt instructions. */
export interface ChannelScopeRecord {
  channelId: string;
  collectionIds: string[];
  instructions: string;
  updatedAt: Date;
}

const SELECT = `SELECT s.channel_id AS "channelId", s.instructions, s.updated_at AS "updatedAt",
    ARRAY(SELECT cc.collection_id::text FROM lore.channel_collections cc
          WHERE cc.tenant_id = s.tenant_id AND cc.channel_id = s.channel_id ORDER BY cc.collection_id) AS "collectionIds"
  FROM lore.channel_scopes s`;

/** Every channel with settings of the current tenant (RLS). */
export async function listChannelScopes(c: DbClient): Promise<ChannelScopeRecord[]> {
  const { rows } = await c.query<ChannelScopeRecord>(`${SELECT} ORDER BY s.channel_id`);
  return rows;
}

export async function findChannelScope(c: DbClient, channelId: string): Promise<ChannelScopeRecord | null> {
  const { rows } = await c.query<ChannelScopeRecord>(`${SELECT} WHERE s.channel_id = $1`, [channelId]);
  return rows[0] ?? null;
}

export async function countChannelScopes(c: DbClient): Promise<number> {
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.channel_scopes');
  return rows[0]?.n ?? 0;
}

/** Replaces a channel's settings whole: instructions and the exact set of collections. */
export async function saveChannelScope(
  c: DbClient,
  tenantId: string,
  v: { channelId: string; collectionIds: string[]; instructions: string },
): Promise<void> {
  await c.query(
    `INSERT INTO lore.channel_scopes (tenant_id, channel_id, instructions) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, channel_id) DO UPDATE SET instructions = excluded.instructions`,
    [tenantId, v.channelId, v.instructions],
  );
  await c.query('DELETE FROM lore.channel_collections WHERE channel_id = $1', [v.channelId]);
  await c.query(
    `INSERT INTO lore.channel_collections (tenant_id, channel_id, collection_id)
     SELECT $1, $2, unnest($3::uuid[])`,
    [tenantId, v.channelId, v.collectionIds],
  );
}

/** Removes a channel's settings: it answers from the default collection again. */
export async function deleteChannelScope(c: DbClient, channelId: string): Promise<boolean> {
  const { rowCount } = await c.query('DELETE FROM lore.channel_scopes WHERE channel_id = $1', [channelId]);
  return (rowCount ?? 0) > 0;
}

/** The collections mapped to any of these channels (current tenant, RLS). */
export async function collectionIdsOfChannels(c: DbClient, channelIds: string[]): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    'SELECT DISTINCT collection_id::text AS id FROM lore.channel_collections WHERE channel_id = ANY($1::text[])',
    [channelIds],
  );
  return rows.map((r) => r.id);
}
