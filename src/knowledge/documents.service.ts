import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { listDocumentChunks } from './chunks.repo.js';
import {
  type DocumentListOptions,
  type DocumentRecord,
  type DocumentStatusRow,
  deleteDocumentRow,
  findDocument,
  listDocumentStatuses,
  listDocumentsPage,
  listReindexTargets,
  listVersions,
  type VersionRecord,
} from './documents.repo.js';
import { ingestJob } from './ingest.job.js';

export interface DocumentsDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
}

/** A page of the document list (the options are the repository's). */
export type ListOptions = DocumentListOptions;

/** A page of the tenant's documents with the total count, for the dashboard list and the API. */
export const listDocuments = (
  db: Database,
  tenantId: string,
  o: ListOptions,
): Promise<{ items: DocumentRecord[]; total: number }> =>
  withTenant(db, tenantId, (c) => listDocumentsPage(c, o));

/** One document with its versions; another tenant's id is "not found". */
export async function getDocument(
  db: Database,
  tenantId: string,
  id: string,
): Promise<{ document: DocumentRecord; versions: VersionRecord[] }> {
  return withTenant(db, tenantId, async (c) => {
    const document = await findDocument(c, id);
    if (!document) throw notFound('Document');
    return { document, versions: await listVersions(c, id) };
  });
}

/** A page of a document's chunks in reading order. */
export async function getDocumentChunks(
  db: Database,
  tenantId: string,
  id: string,
  page: { limit: number; offset: number },
) {
  return withTenant(db, tenantId, async (c) => {
    const document = await findDocument(c, id);
    if (!document) throw notFound('Document');
    return { total: document.chunkCount, items: await listDocumentChunks(c, id, page) };
  });
}

/** Deletes a document, its versions and chunks (one transaction), then its stored originals. */
export async function deleteDocument(
  deps: DocumentsDeps,
  tenantId: string,
  id: string,
  actor: string,
): Promise<void> {
  await withTenant(deps.db, tenantId, async (c) => {
    const deleted = await deleteDocumentRow(c, id);
    if (!deleted) throw notFound('Document');
    await appendAudit(c, {
      tenantId,
      actor,
      action: 'document.deleted',
      target: id,
      details: { title: deleted.title },
    });
  });
  await deps.blobs.deletePrefix(`${tenantId}/${id}`);
}

/** Re-processes one document's active version (for example after the embedding model changed). */
export async function reindexDocument(
  deps: DocumentsDeps,
  tenantId: string,
  id: string,
  actor: string,
): Promise<void> {
  const versionId = await withTenant(deps.db, tenantId, async (c) => {
    const document = await findDocument(c, id);
    if (!document) throw notFound('Document');
    if (!document.activeVersionId) return null;
    await appendAudit(c, { tenantId, actor, action: 'document.reindexed', target: id });
    return document.activeVersionId;
  });
  if (versionId)
    await enqueueJob(deps.queue, ingestJob, { v: 1, tenantId, documentId: id, versionId, force: true });
}

/**
 * Re-indexes every ready document whose chunks were embedded with another model (or not at all), or
 * every document with `all`. Returns how many were queued.
 */
export async function reindexTenant(
  deps: DocumentsDeps,
  tenantId: string,
  p: { embeddingModel: string | null; all?: boolean; actor: string },
): Promise<number> {
  const targets = await withTenant(deps.db, tenantId, async (c) => {
    const rows = await listReindexTargets(c, { all: p.all ?? false, embeddingModel: p.embeddingModel });
    await appendAudit(c, {
      tenantId,
      actor: p.actor,
      action: 'knowledge.reindexed',
      details: { documents: rows.length },
    });
    return rows;
  });
  for (const t of targets)
    await enqueueJob(deps.queue, ingestJob, {
      v: 1,
      tenantId,
      documentId: t.id,
      versionId: t.versionId,
      force: true,
    });
  return targets.length;
}

/** The pipeline status of some of a tenant's documents (what `cli docs add` watches and `docs status` prints). */
export const documentStatuses = (
  db: Database,
  tenantId: string,
  ids: readonly string[],
): Promise<DocumentStatusRow[]> => withTenant(db, tenantId, (c) => listDocumentStatuses(c, ids));
