import { appendAudit } from '../../audit/audit.repo.js';
import { conflict, limitExceeded, notFound } from '../../errors.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { moveDocuments } from '../documents.repo.js';
import {
  countChannelScopes,
  deleteChannelScope,
  findChannelScope,
  listChannelScopes,
  saveChannelScope,
} from './channel-scopes.repo.js';
import {
  type CollectionRecord,
  countCollections,
  deleteCollection,
  existingCollectionIds,
  findCollection,
  insertCollection,
  isUniqueViolation,
  listCollections,
  setDefaultCollection,
  updateCollection,
} from './collections.repo.js';

/** Bounds per workspace: what one admin screen can show, and what one request may change. */
export const MAX_COLLECTIONS = 100;
export const MAX_CHANNEL_SCOPES = 1_000;

/** How the dashboard names a channel in a message ("#hr-team"; the id when the name is unknown). */
export type ChannelNamer = (channelId: string) => string;

export { listChannelScopes, listCollections };

/** Admin operations on collections and channel scopes; each one audited, each refusal specific. */
export function createCollectionsService(db: Database) {
  const tx = <T>(tenantId: string, fn: (c: DbClient) => Promise<T>) => withTenant(db, tenantId, fn);
  const mustFind = async (c: DbClient, id: string): Promise<CollectionRecord> => {
    const found = await findCollection(c, id);
    if (!found) throw notFound('Collection');
    return found;
  };
  const list = (tenantId: string) =>
    tx(tenantId, async (c) => ({
      collections: await listCollections(c),
      channels: await listChannelScopes(c),
    }));

  return {
    list,

    async create(tenantId: string, actor: string, v: { name: string; description: string }) {
      return tx(tenantId, async (c) => {
        if ((await countCollections(c)) >= MAX_COLLECTIONS) {
          throw limitExceeded(`A workspace can have at most ${MAX_COLLECTIONS} collections.`);
        }
        const id = await insertCollection(c, tenantId, v);
        if (!id) throw conflict(`There is already a collection named "${v.name}".`);
        await appendAudit(c, {
          tenantId,
          actor,
          action: 'collection.created',
          target: id,
          details: { name: v.name },
        });
        return mustFind(c, id);
      });
    },

    async update(
      tenantId: string,
      actor: string,
      id: string,
      v: { name?: string; description?: string; isDefault?: true },
    ) {
      return tx(tenantId, async (c) => {
        const before = await mustFind(c, id);
        if (!(await updateCollection(c, id, v))) {
          throw conflict(`There is already a collection named "${v.name}".`);
        }
        if (v.isDefault && !before.isDefault) {
          // Two admins choosing different defaults at once: the one-default index refuses the second.
          await setDefaultCollection(c, id).catch((err: unknown) => {
            throw isUniqueViolation(err)
              ? conflict(
                  'Another admin changed the default collection just now: reload the page and try again.',
                )
              : err;
          });
        }
        await appendAudit(c, {
          tenantId,
          actor,
          action: 'collection.updated',
          target: id,
          details: {
            name: v.name,
            description: v.description === undefined ? undefined : 'changed',
            isDefault: v.isDefault,
          },
        });
        return mustFind(c, id);
      });
    },

    /** Refused, with what to do, while it is the default, holds documents or channels use it. */
    async remove(tenantId: string, actor: string, id: string, nameOf: ChannelNamer) {
      await tx(tenantId, async (c) => {
        const found = await mustFind(c, id);
        if (found.isDefault) {
          throw conflict(
            `"${found.name}" is the workspace default (DMs, /ask and the assistant answer from it): make another collection the default first.`,
          );
        }
        if (found.channelIds.length > 0) {
          const names = found.channelIds.map(nameOf).join(', ');
          throw conflict(
            `"${found.name}" is still used by ${names}: choose other collections for ${found.channelIds.length === 1 ? 'that channel' : 'those channels'} first.`,
          );
        }
        if (found.documentCount > 0) {
          throw conflict(
            `"${found.name}" still holds ${found.documentCount} document${found.documentCount === 1 ? '' : 's'}: move ${found.documentCount === 1 ? 'it' : 'them'} to another collection or delete ${found.documentCount === 1 ? 'it' : 'them'} first.`,
          );
        }
        await deleteCollection(c, id);
        await appendAudit(c, {
          tenantId,
          actor,
          action: 'collection.deleted',
          target: id,
          details: { name: found.name },
        });
      });
    },

    /** Moves documents into a collection: all of them, or none when any id is unknown. */
    async assignDocuments(tenantId: string, actor: string, id: string, documentIds: string[]) {
      return tx(tenantId, async (c) => {
        const found = await mustFind(c, id);
        const unique = [...new Set(documentIds)];
        const moved = await moveDocuments(c, unique, id);
        if (moved.length !== unique.length) {
          const missing = unique.filter((d) => !moved.includes(d));
          // Thrown inside the transaction: nothing was moved.
          throw notFound(
            'Documents',
            `${missing.length} of the documents were not found (deleted meanwhile?): nothing was moved.`,
            { missing },
          );
        }
        await appendAudit(c, {
          tenantId,
          actor,
          action: 'collection.documents_assigned',
          target: id,
          details: { collection: found.name, documents: unique.length },
        });
        return mustFind(c, id);
      });
    },

    /** Sets a channel's collections (none: the default) and instructions, replacing what it had. */
    async saveChannel(
      tenantId: string,
      actor: string,
      v: { channelId: string; collectionIds: string[]; instructions: string },
    ) {
      return tx(tenantId, async (c) => {
        const unique = [...new Set(v.collectionIds)];
        const existing = await existingCollectionIds(c, unique);
        if (existing.length !== unique.length) {
          throw notFound(
            'Collection',
            'One of the chosen collections no longer exists: reload the page and choose again.',
          );
        }
        const known = await findChannelScope(c, v.channelId);
        if (!known && (await countChannelScopes(c)) >= MAX_CHANNEL_SCOPES) {
          throw limitExceeded(`At most ${MAX_CHANNEL_SCOPES} channels can have settings of their own.`);
        }
        await saveChannelScope(c, tenantId, { ...v, collectionIds: unique });
        await appendAudit(c, {
          tenantId,
          actor,
          action: 'channel_scope.saved',
          target: v.channelId,
          details: { collections: unique.length, instructions: { length: v.instructions.length } },
        });
        return findChannelScope(c, v.channelId);
      });
    },

    async removeChannel(tenantId: string, actor: string, channelId: string) {
      await tx(tenantId, async (c) => {
        if (!(await deleteChannelScope(c, channelId))) throw notFound('Channel setting');
        await appendAudit(c, { tenantId, actor, action: 'channel_scope.removed', target: channelId });
      });
    },
  };
}

export type CollectionsService = ReturnType<typeof createCollectionsService>;
