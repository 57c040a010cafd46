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
  /** The collection it belongs to (the workspace default unless an admin moved it). */
  collectionId: string;
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
  collection_id AS "collectionId", created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

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

/** Where each of these documents came from, for those added from a web page or a Slack thread. */
export async function findSourceUrls(c: DbClient, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await c.query<{ id: string; url: string }>(
    'SELECT id, source_url AS url FROM lore.documents WHERE id = ANY($1::uuid[]) AND source_url IS NOT NULL',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.url]));
}

/** What a page of the document list shows: a search over title and file name, a status, an order. */
export interface DocumentListOptions {
  search?: string;
  status?: DocumentStatus;
  sort: 'updated' | 'created' | 'title' | 'status';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const SORT_COLUMNS: Record<DocumentListOptions['sort'], string> = {
  updated: 'updated_at',
  created: 'created_at',
  title: 'lower(title)',
  status: 'status',
};

const LIST_FILTER = `($1::text IS NULL OR title ILIKE '%' || $1 || '%' OR source_name ILIKE '%' || $1 || '%')
  AND ($2::text IS NULL OR status = $2)`;

/** A page of the current tenant's documents with the total count (inside withTenant). */
export async function listDocumentsPage(
  c: DbClient,
  o: DocumentListOptions,
): Promise<{ items: DocumentRecord[]; total: number }> {
  const params = [o.search?.trim() || null, o.status ?? null];
  const { rows } = await c.query<DocumentRecord>(
    `SELECT ${DOC_COLUMNS} FROM lore.documents WHERE ${LIST_FILTER}
     ORDER BY ${SORT_COLUMNS[o.sort]} ${o.order === 'asc' ? 'ASC' : 'DESC'}, id
     LIMIT $3 OFFSET $4`,
    [...params, o.limit, o.offset],
  );
  const count = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lore.documents WHERE ${LIST_FILTER}`,
    params,
  );
  return { items: rows, total: count.rows[0]?.n ?? 0 };
}

/** Deletes one document (versions and chunks cascade) and returns its title; null when there is none. */
export async function deleteDocumentRow(c: DbClient, id: string): Promise<{ title: string } | null> {
  const { rows } = await c.query<{ title: string }>(
    'DELETE FROM lore.documents WHERE id = $1 RETURNING title',
    [id],
  );
  return rows[0] ?? null;
}

/**
 * The ready documents to index again, with their active version: those with a chunk embedded by another
 * model than `embeddingModel` (or by none), or every one with `all`.
 */
export async function listReindexTargets(
  c: DbClient,
  p: { embeddingModel: string | null; all: boolean },
): Promise<Array<{ id: string; versionId: string }>> {
  const { rows } = await c.query<{ id: string; versionId: string }>(
    `SELECT d.id, d.active_version_id AS "versionId" FROM lore.documents d
     WHERE d.active_version_id IS NOT NULL AND d.status = 'ready'
       AND ($1 OR EXISTS (SELECT 1 FROM lore.chunks ch WHERE ch.document_id = d.id
                          AND ch.embedding_model IS DISTINCT FROM $2))`,
    [p.all, p.embeddingModel],
  );
  return rows;
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
  d: {
    tenantId: string;
    title: string;
    sourceName: string;
    sourceKind: string;
    createdBy: string;
    sourceUrl?: string;
    /** Unset: the workspace's default collection (a trigger fills it in). */
    collectionId?: string;
  },
): Promise<DocumentRecord> {
  const { rows } = await c.query<DocumentRecord>(
    `INSERT INTO lore.documents (tenant_id, title, source_name, source_kind, created_by, source_url, collection_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${DOC_COLUMNS}`,
    [
      d.tenantId,
      d.title,
      d.sourceName,
      d.sourceKind,
      d.createdBy,
      d.sourceUrl ?? null,
      d.collectionId ?? null,
    ],
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

/** Points a document at its newly indexed version (`chunkCount` passages), both marked ready. */
export async function activateVersion(
  c: DbClient,
  p: { documentId: string; versionId: string; chunkCount: number },
): Promise<void> {
  await c.query(
    `UPDATE lore.documents SET active_version_id = $2, chunk_count = $3, status = 'ready', error_reason = NULL,
       progress_done = $3, progress_total = $3
     WHERE id = $1`,
    [p.documentId, p.versionId, p.chunkCount],
  );
  await c.query(`UPDATE lore.document_versions SET status = 'ready', error_reason = NULL WHERE id = $1`, [
    p.versionId,
  ]);
}

/** Moves documents into a collection; returns the ids moved (only the tenant's documents, by RLS). */
export async function moveDocuments(
  c: DbClient,
  documentIds: string[],
  collectionId: string,
): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    'UPDATE lore.documents SET collection_id = $2 WHERE id = ANY ($1::uuid[]) RETURNING id',
    [documentIds, collectionId],
  );
  return rows.map((r) => r.id);
}

/**
 * Marks the start of reading a version and returns how many reads had started before without finishing
 * (a process that died mid-read leaves its count behind; `finishParse` clears it).
 */
export async function startParse(c: DbClient, versionId: string): Promise<number> {
  const { rows } = await c.query<{ before: number }>(
    `UPDATE lore.document_versions SET parse_attempts = parse_attempts + 1 WHERE id = $1
     RETURNING parse_attempts - 1 AS before`,
    [versionId],
  );
  return rows[0]?.before ?? 0;
}

/**
 * Records what reading a version found: its type and pages, and the file's own title in place of the
 * file-name default, or a web page's URL (never over a title someone typed). Clears the unfinished-read count.
 */
export async function finishParse(
  c: DbClient,
  p: { versionId: string; documentId: string; mediaType: string; pageCount: number | null; title: string },
): Promise<void> {
  await c.query(
    'UPDATE lore.document_versions SET media_type = $2, page_count = $3, parse_attempts = 0 WHERE id = $1',
    [p.versionId, p.mediaType, p.pageCount],
  );
  await c.query(
    `UPDATE lore.documents SET title = $2 WHERE id = $1
       AND (title = regexp_replace(source_name, '\\.[^.]+$', '') OR (source_kind = 'web' AND title = source_name))`,
    [p.documentId, p.title.slice(0, 500)],
  );
}

/**
 * Records why a document could not be (re)fetched. One with no version yet shows as failed; one that has a
 * searchable version stays as it is and carries the reason beside it.
 */
export async function recordSourceFailure(c: DbClient, documentId: string, reason: string): Promise<void> {
  await c.query(
    `UPDATE lore.documents SET error_reason = $2,
       status = CASE WHEN latest_version = 0 THEN 'failed' ELSE status END
     WHERE id = $1`,
    [documentId, reason.slice(0, 1000)],
  );
}

/** A source fetched fine again: a reason left by an earlier failed refresh no longer holds. */
export async function clearSourceFailure(c: DbClient, documentId: string): Promise<void> {
  await c.query(
    `UPDATE lore.documents SET error_reason = NULL WHERE id = $1 AND status <> 'failed' AND error_reason IS NOT NULL`,
    [documentId],
  );
}

/** Locks a document and tells whether `version` is still its latest (a newer upload wins over this one). */
export async function lockIfLatestVersion(
  c: DbClient,
  documentId: string,
  version: number,
): Promise<boolean> {
  const { rows } = await c.query<{ latest: number }>(
    'SELECT latest_version AS latest FROM lore.documents WHERE id = $1 FOR UPDATE',
    [documentId],
  );
  return rows[0]?.latest === version;
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

/** A document's pipeline status, as `cli docs status` prints it. */
export interface DocumentStatusRow {
  id: string;
  title: string;
  status: DocumentStatus;
  done: number | null;
  total: number | null;
  errorReason: string | null;
}

/** The pipeline status of the given documents of the current tenant (unknown ids are left out). */
export async function listDocumentStatuses(
  c: DbClient,
  ids: readonly string[],
): Promise<DocumentStatusRow[]> {
  const { rows } = await c.query<DocumentStatusRow>(
    `SELECT id, title, status, progress_done AS done, progress_total AS total, error_reason AS "errorReason"
     FROM lore.documents WHERE id::text = ANY($1)`,
    [ids],
  );
  return rows;
}

/** Every tenant's versions left unfinished (queued, parsing or embedding) that are still their document's latest. */
export async function listUnfinishedVersions(
  c: DbClient,
): Promise<Array<{ tenantId: string; documentId: string; versionId: string }>> {
  const { rows } = await c.query<{ tenantId: string; documentId: string; versionId: string }>(
    `SELECT v.tenant_id AS "tenantId", v.document_id AS "documentId", v.id AS "versionId"
     FROM lore.document_versions v JOIN lore.documents d ON d.id = v.document_id AND d.latest_version = v.version
     WHERE v.status IN ('queued', 'parsing', 'embedding')`,
  );
  return rows;
}

/** How many documents the current tenant has (the plan's document limit counts them). */
export async function countDocuments(c: DbClient): Promise<number> {
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM lore.documents');
  return rows[0]?.n ?? 0;
}
/**
 * Failed documents of every tenant by reason, most common first (owner role: the operator's health view).
 * Reads only failed rows, through the partial index `documents_failed_reason_idx`.
 */
export async function ingestionFailuresByReason(
  c: DbClient,
  limit = 20,
): Promise<Array<{ reason: string; documents: number }>> {
  const { rows } = await c.query<{ reason: string; documents: number }>(
    `SELECT coalesce(error_reason, 'no reason recorded') AS reason, count(*)::int AS documents
     FROM lore.documents WHERE status = 'failed'
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Deletes every document of the current tenant (inside withTenant; versions and chunks cascade). Returns how many. */
export async function deleteAllDocuments(c: DbClient): Promise<number> {
  const { rowCount } = await c.query('DELETE FROM lore.documents');
  return rowCount ?? 0;
}

/**
 * The overview's knowledge-base counts: documents, chunks and distinct open gaps, read in one statement so
 * the three agree (inside withTenant).
 */
export async function knowledgeBaseCounts(
  c: DbClient,
): Promise<{ documents: number; chunks: number; gaps: number } | undefined> {
  const { rows } = await c.query<{ documents: number; chunks: number; gaps: number }>(
    `SELECT (SELECT count(*) FROM lore.documents)::int AS documents,
              (SELECT count(*) FROM lore.chunks)::int AS chunks,
              (SELECT count(DISTINCT lower(btrim(question))) FROM lore.knowledge_gaps WHERE status = 'open')::int AS gaps`,
  );
  return rows[0];
}

/** The oldest ready sample document of the current tenant (the demo's citations point at it); undefined if none. */
export async function firstReadySampleDocument(
  c: DbClient,
): Promise<{ id: string; title: string } | undefined> {
  const { rows } = await c.query<{ id: string; title: string }>(
    "SELECT id, title FROM lore.documents WHERE source_kind = 'sample' AND status = 'ready' ORDER BY created_at LIMIT 1",
  );
  return rows[0];
}
