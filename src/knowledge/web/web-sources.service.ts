import { appendAudit } from '../../audit/audit.repo.js';
import { conflict, fetchRefused, limitExceeded, notFound } from '../../errors.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import type { AddressPolicy } from '../../infra/http/address-policy.js';
import { isFetchRefused } from '../../infra/http/fetch-refused.js';
import { checkFetchUrl } from '../../infra/http/safe-fetch.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { getPlanLimits, webPlanLimits } from '../../tenants/plans.repo.js';
import { countDocuments, insertDocument } from '../documents.repo.js';
import { enqueueWebFetch } from './web-fetch-queue.js';
import {
  countWebPages,
  deleteWebSource,
  existingUrls,
  insertWebSource,
  listWebSources,
  type WebSourceKind,
  type WebSourceRecord,
} from './web-sources.repo.js';

export interface WebSourcesDeps {
  db: Database;
  queue: Pick<JobQueue, 'enqueue'>;
  /** The addresses fetching may reach, checked here for address literals so the admin hears at once. */
  policy: AddressPolicy;
}

/** A URL in the form it is stored and compared in: no fragment, a lowercase host (URL does that). */
export function normalizeWebUrl(raw: string, policy: AddressPolicy): string {
  try {
    const url = checkFetchUrl(raw.trim(), policy);
    url.hash = '';
    const text = url.toString();
    if (text.length > 2048) throw fetchRefused('bad_url', 'The URL is longer than 2,048 characters.');
    return text;
  } catch (err) {
    if (isFetchRefused(err)) throw fetchRefused(err.code, err.message);
    throw err;
  }
}

/**
 * Follows pages: one document (status queued, titled by its URL until read) and one page source each, all
 * or none, within the plan's web pages and documents. Returns the new sources; URLs already followed are
 * left out.
 */
export async function followPages(
  c: DbClient,
  p: { tenantId: string; urls: string[]; sitemapId?: string; actor: string; listedBy?: string },
): Promise<WebSourceRecord[]> {
  const known = await existingUrls(c, p.urls);
  const fresh = p.urls.filter((u) => !known.has(u));
  if (fresh.length === 0) return [];
  const web = await webPlanLimits(c);
  const pages = await countWebPages(c);
  if (pages + fresh.length > web.maxPages) {
    throw limitExceeded(
      `${p.listedBy ? `${p.listedBy} lists ${fresh.length.toLocaleString('en')} new pages; y` : 'Y'}our plan allows ${web.maxPages.toLocaleString('en')} web pages and ${pages.toLocaleString('en')} are in use. Nothing was added: add fewer pages or upgrade.`,
      { maxWebPages: web.maxPages, inUse: pages, requested: fresh.length },
    );
  }
  const plan = await getPlanLimits(c);
  const documents = await countDocuments(c);
  if (documents + fresh.length > plan.maxDocuments) {
    throw limitExceeded(
      `Your plan allows ${plan.maxDocuments.toLocaleString('en')} documents and ${documents.toLocaleString('en')} exist; ${fresh.length.toLocaleString('en')} more web pages do not fit. Nothing was added.`,
      { maxDocuments: plan.maxDocuments },
    );
  }
  const added: WebSourceRecord[] = [];
  for (const url of fresh) {
    const document = await insertDocument(c, {
      tenantId: p.tenantId,
      title: url.slice(0, 500),
      sourceName: url.slice(0, 500),
      sourceKind: 'web',
      sourceUrl: url,
      createdBy: p.actor,
    });
    added.push(
      await insertWebSource(c, {
        tenantId: p.tenantId,
        kind: 'page',
        url,
        sitemapId: p.sitemapId,
        documentId: document.id,
        createdBy: p.actor,
      }),
    );
  }
  return added;
}

/**
 * An admin adds a page or a sitemap: checked (URL, address literal, plan), recorded and audited here; the
 * fetching happens in the worker (`web-fetch` job), never on the request path.
 */
export async function addWebSource(
  deps: WebSourcesDeps,
  tenantId: string,
  input: { url: string; kind: WebSourceKind; actor: string; requestId?: string; collectionId?: string },
): Promise<WebSourceRecord> {
  const url = normalizeWebUrl(input.url, deps.policy);
  const source = await withTenant(deps.db, tenantId, async (c) => {
    if ((await existingUrls(c, [url])).size > 0)
      throw conflict(`${url} is already a source of this workspace.`);
    const created =
      input.kind === 'page'
        ? (await followPages(c, { tenantId, urls: [url], actor: input.actor }))[0]
        : await insertWebSource(c, { tenantId, kind: 'sitemap', url, createdBy: input.actor });
    if (!created) throw conflict(`${url} is already a source of this workspace.`);
    await appendAudit(c, {
      tenantId,
      actor: input.actor,
      action: 'web_source.added',
      target: created.id,
      details: { url, kind: input.kind },
    });
    return created;
  });
  await enqueueWebFetch(deps.queue, {
    tenantId,
    sourceId: source.id,
    round: 'added',
    requestId: input.requestId,
  });
  return source;
}

/** The workspace's web sources, newest first, with each one's last error. */
export function listSources(db: Database, tenantId: string, limit = 500): Promise<WebSourceRecord[]> {
  return withTenant(db, tenantId, (c) => listWebSources(c, limit));
}

/**
 * An admin stops following a page or a sitemap: it is no longer fetched or refreshed (a sitemap's pages
 * neither). The documents it made stay, cited as before, until someone deletes them from Documents.
 */
export async function unfollowWebSource(
  db: Database,
  tenantId: string,
  id: string,
  actor: string,
): Promise<{ url: string; pages: number }> {
  return withTenant(db, tenantId, async (c) => {
    const gone = await deleteWebSource(c, id);
    if (!gone) throw notFound('Web source');
    await appendAudit(c, {
      tenantId,
      actor,
      action: 'web_source.removed',
      target: id,
      details: { url: gone.url, kind: gone.kind, pages: gone.pages },
    });
    return { url: gone.url, pages: gone.pages };
  });
}
