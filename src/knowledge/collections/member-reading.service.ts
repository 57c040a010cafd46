import type { ChunkDto } from '../../contracts/documents.contract.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { listDocumentChunks } from '../chunks.repo.js';
import { findDocument, findSourceUrls, listVersions } from '../documents.repo.js';
import { collectionIdsOfChannels } from './channel-scopes.repo.js';
import { defaultCollectionId, findCollection } from './collections.repo.js';

/** A document as the member view shows it: one window of its passages. */
export interface MemberDocumentView {
  id: string;
  title: string;
  collectionName: string;
  /** When the version being read was added. */
  versionAddedAt: Date;
  version: number;
  /** The web page or Slack thread it came from, if any. */
  sourceUrl: string | null;
  passages: ChunkDto[];
  /** Ordinal of the first passage in `passages`, and how many the document has. */
  from: number;
  total: number;
}

/** Who is reading: an admin reads every collection; a member, those of `channelIds` and the default. */
export type Reader = { kind: 'admin' } | { kind: 'member'; channelIds: string[] };

export const PASSAGES_PER_VIEW = 40;

/**
 * The collections a member may read: the workspace default (what DMs, `/ask` and the assistant panel answer
 * from) and the collections of the channels they are in. The same scopes answers use, so a member can open
 * every source an answer may show them, and no other. `c` must come from withTenant.
 */
async function readableCollections(c: Parameters<typeof findDocument>[0], channelIds: string[]) {
  const fallback = await defaultCollectionId(c);
  return new Set([...(fallback ? [fallback] : []), ...(await collectionIdsOfChannels(c, channelIds))]);
}

/**
 * A ready document and a window of its passages starting a little before `around`, or null when the reader
 * may not read it. Missing, another workspace's, not ready, or outside the member's collections all give
 * null, so the answer tells nothing about documents the reader cannot see.
 */
export async function readDocumentAs(
  db: Database,
  tenantId: string,
  documentId: string,
  reader: Reader,
  around: number,
): Promise<MemberDocumentView | null> {
  return withTenant(db, tenantId, async (c) => {
    const doc = await findDocument(c, documentId);
    if (doc?.status !== 'ready' || !doc.activeVersionId) return null;
    if (reader.kind === 'member' && !(await readableCollections(c, reader.channelIds)).has(doc.collectionId))
      return null;
    const version = (await listVersions(c, doc.id)).find((v) => v.id === doc.activeVersionId);
    const collection = await findCollection(c, doc.collectionId);
    const from = Math.max(0, Math.min(around, doc.chunkCount - 1) - 5);
    return {
      id: doc.id,
      title: doc.title,
      collectionName: collection?.name ?? '',
      versionAddedAt: version?.createdAt ?? doc.updatedAt,
      version: version?.version ?? doc.latestVersion,
      sourceUrl: (await findSourceUrls(c, [doc.id])).get(doc.id) ?? null,
      passages: await listDocumentChunks(c, doc.id, { limit: PASSAGES_PER_VIEW, offset: from }),
      from,
      total: doc.chunkCount,
    };
  });
}
