import { withTenant } from '../../infra/db/transaction.js';
import { parseSitemap } from './sitemap.js';
import type { WebFetchDeps } from './web-fetch.job.js';
import { enqueueWebFetch } from './web-fetch-queue.js';
import { WebSourceRefusal } from './web-refusal.js';
import { recordFetchOk, type WebSourceRecord } from './web-sources.repo.js';
import { followPages } from './web-sources.service.js';

/** Sitemaps may be large (the protocol allows 50 MB); Lore reads at most this much of one. */
export const SITEMAP_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Fetches a sitemap and follows every page on it the workspace does not follow yet, all or none within
 * the plan; each new page gets its own `web-fetch` job. Pages on another host are left out (the sitemap
 * protocol allows a sitemap to list only its own site).
 */
export async function expandSitemap(deps: WebFetchDeps, source: WebSourceRecord): Promise<void> {
  const res = await deps.fetch({ url: source.url, maxBytes: SITEMAP_MAX_BYTES });
  if (res.status >= 300)
    throw new WebSourceRefusal('http_status', `${source.url} answered HTTP ${res.status}.`);
  const sitemap = parseSitemap(res.body.toString('utf8'));
  if (!sitemap) {
    throw new WebSourceRefusal(
      'not_sitemap',
      `${source.url} is not a sitemap (no <urlset> or <sitemapindex>).`,
    );
  }
  if (sitemap.kind === 'index') {
    throw new WebSourceRefusal(
      'sitemap_index',
      `${source.url} is a sitemap index listing ${sitemap.urls.length} sitemaps; add each sitemap it lists instead.`,
    );
  }
  const origin = new URL(source.url).origin;
  const urls = sitemap.urls
    .filter((u) => URL.canParse(u) && new URL(u).origin === origin)
    .map((u) => {
      const url = new URL(u);
      url.hash = '';
      return url.toString();
    });
  const added = await withTenant(deps.db, source.tenantId, async (c) => {
    const pages = await followPages(c, {
      tenantId: source.tenantId,
      urls: [...new Set(urls)],
      sitemapId: source.id,
      actor: source.createdBy,
      listedBy: 'The sitemap',
    });
    await recordFetchOk(c, { id: source.id, refreshMs: deps.refreshMs });
    return pages;
  });
  for (const page of added) {
    await enqueueWebFetch(deps.queue, { tenantId: source.tenantId, sourceId: page.id, round: 'added' });
  }
}
