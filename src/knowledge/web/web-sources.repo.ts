import type { DbClient } from '../../infra/db/database.js';

export type WebSourceKind = 'page' | 'sitemap';

/** A URL a workspace follows: a page (feeding one document) or a sitemap (listing pages). */
export interface WebSourceRecord {
  id: string;
  tenantId: string;
  kind: WebSourceKind;
  url: string;
  sitemapId: string | null;
  documentId: string | null;
  etag: string | null;
  lastModified: string | null;
  checksum: string | null;
  status: 'pending' | 'ok' | 'failed';
  errorCode: string | null;
  errorReason: string | null;
  fetchedAt: Date | null;
  nextFetchAt: Date;
  createdBy: string;
  createdAt: Date;
}

const COLUMNS = `id, tenant_id AS "tenantId", kind, url, sitemap_id AS "sitemapId", document_id AS "documentId",
  etag, last_modified AS "lastModified", checksum_sha256 AS checksum, status, error_code AS "errorCode",
  error_reason AS "errorReason", fetched_at AS "fetchedAt", next_fetch_at AS "nextFetchAt",
  created_by AS "createdBy", created_at AS "createdAt"`;

export async function insertWebSource(
  c: DbClient,
  s: {
    tenantId: string;
    kind: WebSourceKind;
    url: string;
    sitemapId?: string;
    documentId?: string;
    createdBy: string;
  },
): Promise<WebSourceRecord> {
  // The first fetch is queued by whoever adds the source; the refresh only steps in if that job was lost.
  const { rows } = await c.query<WebSourceRecord>(
    `INSERT INTO lore.web_sources (tenant_id, kind, url, sitemap_id, document_id, created_by, next_fetch_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + interval '1 hour') RETURNING ${COLUMNS}`,
    [s.tenantId, s.kind, s.url, s.sitemapId ?? null, s.documentId ?? null, s.createdBy],
  );
  return rows[0] as WebSourceRecord;
}

export async function findWebSource(c: DbClient, id: string): Promise<WebSourceRecord | null> {
  const { rows } = await c.query<WebSourceRecord>(`SELECT ${COLUMNS} FROM lore.web_sources WHERE id = $1`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** The URLs of this list the workspace already follows (a sitemap fetched again adds only new pages). */
export async function existingUrls(c: DbClient, urls: string[]): Promise<Set<string>> {
  const { rows } = await c.query<{ url: string }>(
    'SELECT url FROM lore.web_sources WHERE url = ANY($1::text[])',
    [urls],
  );
  return new Set(rows.map((r) => r.url));
}

/** How many pages the workspace follows (the plan's `max_web_pages`). */
export async function countWebPages(c: DbClient): Promise<number> {
  const { rows } = await c.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM lore.web_sources WHERE kind = 'page'`,
  );
  return rows[0]?.n ?? 0;
}

/** Every source of the workspace, sitemaps and pages, newest first (bounded). */
export async function listWebSources(c: DbClient, limit: number): Promise<WebSourceRecord[]> {
  const { rows } = await c.query<WebSourceRecord>(
    `SELECT ${COLUMNS} FROM lore.web_sources ORDER BY created_at DESC, url LIMIT $1`,
    [limit],
  );
  return rows;
}

/** A fetch that worked: validators and checksum kept for the next one, next fetch scheduled. */
export async function recordFetchOk(
  c: DbClient,
  f: {
    id: string;
    etag?: string | null;
    lastModified?: string | null;
    checksum?: string | null;
    refreshMs: number;
  },
): Promise<void> {
  await c.query(
    `UPDATE lore.web_sources SET status = 'ok', error_code = NULL, error_reason = NULL, fetched_at = now(),
       etag = coalesce($2, etag), last_modified = coalesce($3, last_modified), checksum_sha256 = coalesce($4, checksum_sha256),
       next_fetch_at = now() + $5 * interval '1 millisecond'
     WHERE id = $1`,
    [
      f.id,
      f.etag?.slice(0, 512) ?? null,
      f.lastModified?.slice(0, 128) ?? null,
      f.checksum ?? null,
      f.refreshMs,
    ],
  );
}

/** A refused or failed fetch: why, and when to try again (the normal period: a refusal rarely heals faster). */
export async function recordFetchFailure(
  c: DbClient,
  f: { id: string; code: string; reason: string; refreshMs: number },
): Promise<void> {
  await c.query(
    `UPDATE lore.web_sources SET status = 'failed', error_code = $2, error_reason = $3, fetched_at = now(),
       next_fetch_at = now() + $4 * interval '1 millisecond'
     WHERE id = $1`,
    [f.id, f.code, f.reason.slice(0, 1000), f.refreshMs],
  );
}

/**
 * Claims the sources due for a fetch, across active tenants (the worker's refresh job runs as the owner;
 * a suspended or uninstalled workspace's pages are not fetched): each
 * claimed row's next fetch moves a period ahead in the same statement, and rows another worker is claiming
 * are skipped, so two workers never fetch the same page twice.
 */
export async function claimDueSources(
  c: DbClient,
  p: { limit: number; refreshMs: number },
): Promise<Array<{ id: string; tenantId: string }>> {
  const { rows } = await c.query<{ id: string; tenantId: string }>(
    `UPDATE lore.web_sources s SET next_fetch_at = now() + $2 * interval '1 millisecond'
     FROM (SELECT w.id FROM lore.web_sources w
           JOIN lore.tenants t ON t.id = w.tenant_id AND t.status = 'active'
           WHERE w.next_fetch_at <= now() ORDER BY w.next_fetch_at
           LIMIT $1 FOR UPDATE OF w SKIP LOCKED) due
     WHERE s.id = due.id
     RETURNING s.id, s.tenant_id AS "tenantId"`,
    [p.limit, p.refreshMs],
  );
  return rows;
}

/** Stops following a source (a sitemap takes its page rows with it); the documents already made stay. */
export async function deleteWebSource(
  c: DbClient,
  id: string,
): Promise<{ url: string; kind: WebSourceKind; pages: number } | null> {
  const { rows } = await c.query<{ url: string; kind: WebSourceKind; pages: number }>(
    `DELETE FROM lore.web_sources s WHERE s.id = $1
     RETURNING s.url, s.kind, (SELECT count(*)::int FROM lore.web_sources p WHERE p.sitemap_id = s.id) AS pages`,
    [id],
  );
  return rows[0] ?? null;
}
