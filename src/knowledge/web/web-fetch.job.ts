import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import type { SafeFetch } from '../../infra/http/safe-fetch.js';
import { defineJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { webPlanLimits } from '../../tenants/plans.repo.js';
import { addDocument } from '../document-intake.service.js';
import { clearSourceFailure, recordSourceFailure } from '../documents.repo.js';
import { INGEST_LANE } from '../ingest.job.js';
import { expandSitemap } from './sitemap-expand.js';
import { refusalOf, WebSourceRefusal } from './web-refusal.js';
import {
  findWebSource,
  recordFetchFailure,
  recordFetchOk,
  type WebSourceRecord,
} from './web-sources.repo.js';

export interface WebFetchDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
  logger: Logger;
  fetch: SafeFetch;
  /** Throws when the site's robots.txt refuses Lore the URL. */
  robotsAllow: (url: string) => Promise<void>;
  /** How long until a source is fetched again (WEB_REFRESH_HOURS). */
  refreshMs: number;
}

const webFetchPayload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  sourceId: z.uuid(),
  /** Names this fetch (first add, or a refresh), so queueing it again is a no-op. */
  round: z.string().min(1),
  requestId: z.string().optional(),
});
export type WebFetchPayload = z.infer<typeof webFetchPayload>;

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * The `web-fetch` job: one page or sitemap, fetched in the worker. A page answers 304, or the same bytes
 * as last time: nothing more happens. New bytes become the next version of its document through the same
 * intake as an upload (stored original, `ingest` job). Every refusal (address, robots.txt, size, time, type,
 * plan) is recorded on the source and its document with the reason, and is not retried until the next refresh.
 */
export const webFetchJob = defineJob({
  name: 'web-fetch',
  schema: webFetchPayload,
  // Refusals are recorded, not retried; retries are for a crash between fetch and record.
  attempts: 2,
  lane: INGEST_LANE,
  jobId: (p) => `web-fetch-${p.sourceId}-${p.round}`,
  handler: (deps: Omit<WebFetchDeps, keyof WebServices> & { web: WebServices }) =>
    createWebFetchRun({ ...deps, ...deps.web }),
});

/** What fetching web sources needs beyond the database, blob store, queue and logger (\`jobServices().web\`). */
export type WebServices = Pick<WebFetchDeps, 'fetch' | 'robotsAllow' | 'refreshMs'>;

function createWebFetchRun(deps: WebFetchDeps): (p: WebFetchPayload) => Promise<void> {
  return async (p) => {
    const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, p.tenantId, fn);
    const source = await tx((c) => findWebSource(c, p.sourceId));
    if (!source) return;
    const log = deps.logger.child({ tenantId: p.tenantId, webSourceId: source.id });
    try {
      await deps.robotsAllow(source.url);
      if (source.kind === 'sitemap') await expandSitemap(deps, source);
      else await fetchPage(deps, source);
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      log.info({ code: refusal.code }, 'web source refused');
      await tx(async (c) => {
        await recordFetchFailure(c, { id: source.id, ...refusal, refreshMs: deps.refreshMs });
        if (source.documentId) await recordSourceFailure(c, source.documentId, refusal.reason);
      });
    }
  };
}

async function fetchPage(deps: WebFetchDeps, source: WebSourceRecord): Promise<void> {
  const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(deps.db, source.tenantId, fn);
  const limits = await tx(webPlanLimits);
  // Validators only help once there is a version to keep: a page whose first fetch failed is fetched whole.
  const conditional: Record<string, string> = {};
  if (source.checksum && source.etag) conditional['if-none-match'] = source.etag;
  if (source.checksum && source.lastModified) conditional['if-modified-since'] = source.lastModified;
  const res = await deps.fetch({ url: source.url, maxBytes: limits.maxPageBytes, headers: conditional });
  const validators = { etag: res.headers.etag, lastModified: res.headers['last-modified'] };
  const documentId = source.documentId as string;
  if (res.status === 304) {
    await tx(async (c) => {
      await recordFetchOk(c, { id: source.id, ...validators, refreshMs: deps.refreshMs });
      await clearSourceFailure(c, documentId);
    });
    return;
  }
  if (res.status >= 300) {
    throw new WebSourceRefusal('http_status', `${source.url} answered HTTP ${res.status}.`);
  }
  const type = res.headers['content-type'] ?? '';
  if (!HTML_TYPES.test(type)) {
    throw new WebSourceRefusal(
      'not_html',
      `${source.url} is not an HTML page (it is ${type.split(';')[0] || 'of no stated type'}). Upload files as documents instead.`,
    );
  }
  const checksum = createHash('sha256').update(res.body).digest('hex');
  if (checksum !== source.checksum) {
    await addDocument(deps, source.tenantId, {
      fileName: 'page.html',
      sourceKey: source.url,
      sourceUrl: source.url,
      mediaType: 'text/html',
      skipDuplicateCheck: true,
      body: Readable.from([res.body]),
      source: 'web',
      actor: source.createdBy,
    });
  }
  await tx(async (c) => {
    await recordFetchOk(c, { id: source.id, ...validators, checksum, refreshMs: deps.refreshMs });
    await clearSourceFailure(c, documentId);
  });
}
