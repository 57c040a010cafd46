import type { DbClient } from '../infra/db/database.js';

export type DocumentStatus = 'queued' | 'parsing' | 'embedding' | 'ready' | 'failed';

/** A document as the dashboard, API and CLI show it. */
export interface DocumentRecord {
  id: string;
  title: string;
  sourceName: string;
  sourceKind: string;
  status: DocumentStatus;
  progressDone: number;
  progressTotal: number;
  errorReason: string | null;
  chunkCount: number;
  latestVersion: number;
  activeVersionId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRecord {
  id: string;
  documentId: string;
  version: number;
  checksum: string;
  byteSize: number;
  mediaType: string;
  blobKey: string;
  pageCount: number | null;
  status: DocumentStatus;
  errorReason: string | null;
  createdAt: Date;
}

const DOC_COLUMNS = `id, title, source_name AS "sourceName", source_kind AS "sourceKind", status,
  progress_done AS "progressDone", progress_total AS "progressTotal", error_reason AS "errorReason",
  chunk_count AS "chunkCount", latest_version AS "latestVersion", active_version_id AS "activeVersionId",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

const VERSION_COLUMNS = `id, document_id AS "documentId", version, checksum_sha256 AS checksum,
  byte_size::float8 AS "byteSize", media_type AS "mediaType", blob_key AS "blobKey", page_count AS "pageCount",
  status, error_reason AS "errorReason", created_at AS "createdAt"`;

/** Finds a document by id (RLS limits it to the current tenant: another tenant's id finds nothing). */
export async function findDocument(c: DbClient, id: string): Promise<DocumentRecord | null> {
  const { rows } = await c.query<DocumentRecord>(`SELECT ${DOC_COLUMNS} FROM lore.documents WHERE id = $1`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** Finds a document by the name it was uploaded under, locking it so concurrent uploads queue up. */
export async function findDocumentByNameForUpdate(
  c: DbClient,
  sourceName: string,
): Promise<DocumentRecord | null> {
  const { rows } = await c.query<DocumentRecord>(
    `SELECT ${DOC_COLUMNS} FROM lore.documents WHERE source_name = $1 FOR UPDATE`,
    [sourceName],
  );
  return rows[0] ?? null;
}

/** The document whose latest version has exactly these bytes, if any (duplicate detection). */
export async function findDocumentByChecksum(c: DbClient, checksum: string): Promise<DocumentRecord | null> {
  const { rows } = await c.query<DocumentRecord>(
    `SELECT ${DOC_COLUMNS} FROM lore.documents WHERE id = (
       SELECT d.id FROM lore.documents d
       JOIN lore.document_versions v ON v.document_id = d.id AND v.version = d.latest_version
       WHERE v.checksum_sha256 = $1 AND v.status <> 'failed' LIMIT 1)`,
    [checksum],
  );
  return rows[0] ?? null;
}

/** Creates a document row (status queued, no version yet). */
export async function insertDocument(
  c: DbClient,
  d: { tenantId: string; title: string; sourceName: string; sourceKind: string; createdBy: string },
): Promise<DocumentRecord> {
  const { rows } = await c.query<DocumentRecord>(
    `INSERT INTO lore.documents (tenant_id, title, source_name, source_kind, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${DOC_COLUMNS}`,
    [d.tenantId, d.title, d.sourceName, d.sourceKind, d.createdBy],
  );
  return rows[0] as DocumentRecord;
}

/** Adds the next version of a document and marks the document queued for it. */
export async function insertVersion(
  c: DbClient,
  v: { tenantId: string; documentId: string; checksum: string; byteSize: number; mediaType: string },
): Promise<VersionRecord> {
  const { rows } = await c.query<VersionRecord>(
    `WITH bumped AS (
       UPDATE lore.documents SET latest_version = latest_version + 1, status = 'queued', error_reason = NULL,
         progress_done = 0, progress_total = 0
       WHERE id = $2 RETURNING latest_version)
     INSERT INTO lore.document_versions (tenant_id, document_id, version, checksum_sha256, byte_size, media_type, blob_key)
     SELECT $1::uuid, $2::uuid, latest_version, $3, $4, $5, $1::text || '/' || $2::text || '/' || latest_version
     FROM bumped
     RETURNING ${VERSION_COLUMNS}`,
    [v.tenantId, v.documentId, v.checksum, v.byteSize, v.mediaType],
  );
  return rows[0] as VersionRecord;
}

/** Finds one version of a document. */
export async function findVersion(c: DbClient, versionId: string): Promise<VersionRecord | null> {
  const { rows } = await c.query<VersionRecord>(
    `SELECT ${VERSION_COLUMNS} FROM lore.document_versions WHERE id = $1`,
    [versionId],
  );
  return rows[0] ?? null;
}

/** Every version of a document, newest first. */
export async function listVersions(c: DbClient, documentId: string): Promise<VersionRecord[]> {
  const { rows } = await c.query<VersionRecord>(
    `SELECT ${VERSION_COLUMNS} FROM lore.document_versions WHERE document_id = $1 ORDER BY version DESC`,
    [documentId],
  );
  return rows;
}

/**
 * Records pipeline progress on a version and, while it is the document's latest version, on the
 * document too (an older version finishing late must not overwrite what the user sees).
 */
export async function setProgress(
  c: DbClient,
  p: {
    versionId: string;
    status: DocumentStatus;
    done?: number;
    total?: number;
    errorReason?: string | null;
    pageCount?: number;
  },
): Promise<void> {
  await c.query(
    `UPDATE lore.document_versions SET status = $2, error_reason = $3, page_count = coalesce($4, page_count)
     WHERE id = $1`,
    [p.versionId, p.status, p.errorReason ?? null, p.pageCount ?? null],
  );
  await c.query(
    `UPDATE lore.documents d SET status = $2, error_reason = $3, progress_done = $4, progress_total = $5
     FROM lore.document_versions v
     WHERE v.id = $1 AND d.id = v.document_id AND d.latest_version = v.version`,
    [p.versionId, p.status, p.errorReason ?? null, p.done ?? 0, p.total ?? 0],
  );
}

/** Counts for plan limits: documents, and chunks excluding one document (the one being replaced). */
export async function knowledgeCounts(
  c: DbClient,
  excludeDocumentId?: string,
): Promise<{ documents: number; chunks: number }> {
  const { rows } = await c.query<{ documents: number; chunks: number }>(
    `SELECT (SELECT count(*)::int FROM lore.documents) AS documents,
            (SELECT count(*)::int FROM lore.chunks WHERE document_id IS DISTINCT FROM $1) AS chunks`,
    [excludeDocumentId ?? null],
  );
  return rows[0] ?? { documents: 0, chunks: 0 };
}
