import { appendAudit } from '../audit/audit.repo.js';
import { notFound } from '../errors.js';
import type { BlobStore } from '../infra/blob/blob-store.js';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import { enqueueJob } from '../infra/queue/job-definition.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import { listDocumentChunks } from './chunks.repo.js';
import {
  type DocumentRecord,
  type DocumentStatusRow,
  findDocument,
  listDocumentStatuses,
  listVersions,
  type VersionRecord,
} from './documents.repo.js';
import { ingestJob } from './ingest.job.js';

export interface DocumentsDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
}

export interface ListOptions {
  search?: string;
  status?: DocumentRecord['status'];
  sort: 'updated' | 'created' | 'title' | 'status';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const SORT_COLUMNS: Record<ListOptions['sort'], string> = {
  updated: 'updated_at',
  created: 'created_at',
  title: 'lower(title)',
  status: 'status',
};

/** A page of the tenant's documents with the total count, for the dashboard list and the API. */
export async function listDocuments(
  db: Database,
  tenantId: string,
  o: ListOptions,
): Promise<{ items: DocumentRecord[]; total: number }> {
  return withTenant(db, tenantId, async (c) => {
    const where = `($1::text IS NULL OR title ILIKE '%' || $1 || '%' OR source_name ILIKE '%' || $1 || '%')
                   AND ($2::text IS NULL OR status = $2)`;
    const params = [o.search?.trim() || null, o.status ?? null];
    const { rows } = await c.query<DocumentRecord>(
      `SELECT id, title, source_name AS "sourceName", source_kind AS "sourceKind", status,
              progress_done AS "progressDone", progress_total AS "progressTotal", error_reason AS "errorReason",
              chunk_count AS "chunkCount", latest_version AS "latestVersion", active_version_id AS "activeVersionId",
              collection_id AS "collectionId",
              created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM lore.documents WHERE ${where}
       ORDER BY ${SORT_COLUMNS[o.sort]} ${o.order === 'asc' ? 'ASC' : 'DESC'}, id
       LIMIT $3 OFFSET $4`,
      [...params, o.limit, o.offset],
    );
    const count = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lore.documents WHERE ${where}`,
      params,
    );
    return { items: rows, total: count.rows[0]?.n ?? 0 };
  });
}

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
    const { rows } = await c.query<{ title: string }>(
      'DELETE FROM lore.documents WHERE id = $1 RETURNING title',
      [id],
    );
    if (!rows[0]) throw notFound('Document');
    await appendAudit(c, {
      tenantId,
      actor,
      action: 'document.deleted',
      target: id,
      details: { title: rows[0].title },
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
    const { rows } = await c.query<{ id: string; versionId: string }>(
      `SELECT d.id, d.active_version_id AS "versionId" FROM lore.documents d
       WHERE d.active_version_id IS NOT NULL AND d.status = 'ready'
         AND ($1 OR EXISTS (SELECT 1 FROM lore.chunks ch WHERE ch.document_id = d.id
                            AND ch.embedding_model IS DISTINCT FROM $2))`,
      [p.all ?? false, p.embeddingModel],
    );
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
