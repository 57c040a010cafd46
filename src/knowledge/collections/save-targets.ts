import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { findChannelScope } from './channel-scopes.repo.js';
import { listCollections } from './collections.repo.js';

/** Where a thread saved from a channel may go, and the collection preselected for it. */
export interface SaveTargets {
  options: Array<{ id: string; name: string }>;
  /** The channel's first collection (answers there draw on it), else the workspace default. */
  preselected: string | null;
}

export async function saveTargetsFor(
  db: Database,
  tenantId: string,
  channelId: string,
): Promise<SaveTargets> {
  return withTenant(db, tenantId, async (c) => {
    const collections = await listCollections(c);
    const channel = await findChannelScope(c, channelId);
    const fallback = collections.find((x) => x.isDefault)?.id ?? null;
    return {
      options: collections.map((x) => ({ id: x.id, name: x.name })),
      preselected: channel?.collectionIds.find((id) => collections.some((x) => x.id === id)) ?? fallback,
    };
  });
}
