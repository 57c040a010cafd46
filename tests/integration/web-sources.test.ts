import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliOutput } from '../../src/cli/cli-context.js';
import { runCli } from '../../src/cli/run-cli.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { webRefreshJob } from '../../src/knowledge/web/web-refresh.job.js';
import { claimDueSources } from '../../src/knowledge/web/web-sources.repo.js';
import { followPages } from '../../src/knowledge/web/web-sources.service.js';
import { createApiKey } from '../../src/tenants/access/api-keys.service.js';
import { DEMO_TEAM_ID } from '../../src/tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../src/tenants/tenants.repo.js';
import { createTenant } from '../support/factories.js';
import { bodyOf, type JsonBody } from '../support/http.js';
import { testRedisUrl } from '../support/redis.js';
import { startTestApp } from '../support/test-app.js';
import { html, htmlPage, startWebSite } from '../support/web-site.js';

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
type Site = Awaited<ReturnType<typeof startWebSite>>;

const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 1_200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const redisUrl = testRedisUrl();

describe.each([
  { queue: 'in-process queue', env: {} as Record<string, string> },
  ...(redisUrl
    ? // A queue of its own (prefix lore-sources), so parallel runs sharing the Redis never take each other's jobs.
      [{ queue: 'BullMQ on Redis', env: { REDIS_URL: redisUrl, QUEUE_NAME: `lore-sources-${randomUUID()}` } }]
    : []),
])(
  'web pages and sitemaps as sources (a local site; loopback allowed by the test config; $queue)',
  ({ env }) => {
    let app: TestApp;
    let site: Site;
    let key: string;
    let tenantId: string;
    let travelBody = 'Book flights through the travel desk at least fourteen days ahead.';

    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}/api${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(init.headers as object),
        },
      });
    const add = async (url: string, kind: 'page' | 'sitemap' = 'page') =>
      api('/documents/web', { method: 'POST', body: JSON.stringify({ url, kind }) });
    const sourceOf = async (url: string): Promise<JsonBody> =>
      (await bodyOf(await api('/documents/web'))).items.find((s: JsonBody) => s.url === url);
    /** A source's first fetch finished (ok or refused), and its document, if any, settled. */
    const settled = async (
      url: string,
    ): Promise<{ source: JsonBody; document: JsonBody | null; versions: JsonBody[] }> =>
      until(url, async () => {
        const source = await sourceOf(url);
        if (!source || source.status === 'pending') return undefined;
        if (!source.documentId) return { source, document: null, versions: [] };
        const detail = await bodyOf(await api(`/documents/${source.documentId}`));
        if (detail.document.status !== 'ready' && detail.document.status !== 'failed') return undefined;
        return { source, document: detail.document, versions: detail.versions };
      });
    const chunkText = async (id: string) =>
      (await bodyOf(await api(`/documents/${id}/chunks`))).items.map((c: JsonBody) => c.content).join('\n');
    /** Makes every source due and runs the scheduled refresh once, then waits until each was fetched again. */
    const refreshAll = async () => {
      const before = new Map<string, string>();
      for (const s of (await bodyOf(await api('/documents/web'))).items) before.set(s.id, s.fetchedAt);
      await withTransaction(app.container.db, (c) =>
        c.query('UPDATE lore.web_sources SET next_fetch_at = now()'),
      );
      await app.container.queue.enqueue(
        webRefreshJob.name,
        { v: 1 },
        { jobId: `refresh-test-${Date.now()}` },
      );
      await until('refresh', async () => {
        const items = (await bodyOf(await api('/documents/web'))).items as JsonBody[];
        return items.every((s) => s.fetchedAt !== before.get(s.id)) ? true : undefined;
      });
    };

    let hugeSitemap = '';

    beforeAll(async () => {
      site = await startWebSite({
        '/robots.txt': (_q, r) =>
          r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
        '/travel': (req, res) => {
          const etag = `"v-${travelBody.length}"`;
          if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
          html(htmlPage('Travel policy', travelBody), { etag })(req, res);
        },
        '/no-validators': html(htmlPage('Expenses', 'Submit receipts within thirty days of the trip.')),
        '/private/salaries': html(htmlPage('Salaries', 'Secret numbers.')),
        '/huge': (_q, r) => {
          r.writeHead(200, { 'content-type': 'text/html' });
          r.end(`<html><body><p>${'z'.repeat(3 * 1024 * 1024)}</p></body></html>`);
        },
        '/slow': () => {},
        '/report.pdf': (_q, r) => r.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4'),
        '/sitemap.xml': (_q, r) => {
          const urls = [1, 2, 3, 4, 5].map((n) => `<url><loc>${site.origin}/s/${n}</loc></url>`).join('');
          r.writeHead(200, { 'content-type': 'application/xml' });
          r.end(
            `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}<url><loc>https://elsewhere.example/x</loc></url></urlset>`,
          );
        },
        '/huge-sitemap.xml': (_q, r) => {
          r.writeHead(200, { 'content-type': 'application/xml' });
          r.end(hugeSitemap);
        },
      });
      // Built once, sent in one write: the test is about the plan limit, not about a slow sender.
      const entries = Array.from(
        { length: 100_000 },
        (_, i) => `<url><loc>${site.origin}/h/${i}</loc></url>`,
      );
      hugeSitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.join('')}</urlset>`;
      for (const n of [1, 2, 3, 4, 5]) {
        site.routes[`/s/${n}`] = html(
          htmlPage(`Sitemap page ${n}`, `Page number ${n} explains the parking rule ${n}.`),
        );
      }
      app = await startTestApp({ ...env, WEB_FETCH_ALLOW_PRIVATE: 'true', WEB_FETCH_TIMEOUT_SECONDS: '5' });
      tenantId = (await findTenantBySlackId(app.container.db.pool, DEMO_TEAM_ID))?.id ?? '';
      key = (await createApiKey(app.container.db, tenantId, { name: 'sync', actor: 'test' })).key;
      // The free plan: 50 web pages of at most 2 MB each.
      await withTransaction(app.container.db, (c) =>
        c.query(`UPDATE lore.tenants SET plan_id = 'free' WHERE id = $1`, [tenantId]),
      );
    });
    afterAll(async () => {
      await app?.cleanup();
      await site?.close();
    });

    it('adds a page: its main content becomes a searchable document titled by the page', async () => {
      const res = await add(`${site.origin}/travel#booking`);
      expect(res.status).toBe(202);
      const { source } = await bodyOf(res);
      expect(source).toMatchObject({ kind: 'page', url: `${site.origin}/travel`, status: 'pending' });
      const { document, versions } = await settled(`${site.origin}/travel`);
      expect(document).toMatchObject({
        status: 'ready',
        title: 'Travel policy',
        sourceKind: 'web',
        errorReason: null,
      });
      expect(versions).toHaveLength(1);
      const text = await chunkText(document.id);
      expect(text).toContain('fourteen days ahead');
      expect(text).not.toContain('Site navigation menu');
      expect(site.hits('/travel')[0]?.userAgent).toMatch(/^LoreBot\//);
    }, 120_000);

    it('refreshes: 304 and identical bytes cost nothing; a changed page becomes a new version', async () => {
      await add(`${site.origin}/no-validators`);
      await settled(`${site.origin}/no-validators`);
      const travelHits = site.hits('/travel').length;
      await refreshAll();
      const conditional = site.hits('/travel').slice(travelHits);
      expect(conditional[0]?.ifNoneMatch).toBe(`"v-${travelBody.length}"`);
      const travel = await settled(`${site.origin}/travel`);
      expect(travel.versions).toHaveLength(1);
      expect((await settled(`${site.origin}/no-validators`)).versions).toHaveLength(1);

      travelBody = 'Book flights through the travel desk at least twenty-one days ahead, from January.';
      await refreshAll();
      const changed = await until('new version', async () => {
        const s = await settled(`${site.origin}/travel`);
        return s.versions.length === 2 && s.document.status === 'ready' ? s : undefined;
      });
      expect(changed.versions[0].version).toBe(2);
      const text = await chunkText(changed.document.id);
      expect(text).toContain('twenty-one days');
      expect(text).not.toContain('fourteen days');
    }, 120_000);

    it('adds a sitemap: each page on its site becomes a document; pages of other hosts are left out', async () => {
      expect((await add(`${site.origin}/sitemap.xml`, 'sitemap')).status).toBe(202);
      const { source } = await settled(`${site.origin}/sitemap.xml`);
      expect(source.status).toBe('ok');
      // Built once, sent in one write: the test is about the plan limit, not about a slow sender.
      const entries = Array.from(
        { length: 100_000 },
        (_, i) => `<url><loc>${site.origin}/h/${i}</loc></url>`,
      );
      hugeSitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries.join('')}</urlset>`;
      for (const n of [1, 2, 3, 4, 5]) {
        const page = await settled(`${site.origin}/s/${n}`);
        expect(page.document).toMatchObject({ status: 'ready', title: `Sitemap page ${n}` });
        expect(page.source.sitemapId).toBe(source.id);
      }
      expect(await sourceOf('https://elsewhere.example/x')).toBeUndefined();
    }, 120_000);

    it('refuses a sitemap of 100,000 pages whole, with the plan limit in the message, and adds nothing', async () => {
      const documentsBefore = (await bodyOf(await api('/documents?pageSize=1'))).total;
      await add(`${site.origin}/huge-sitemap.xml`, 'sitemap');
      const { source } = await settled(`${site.origin}/huge-sitemap.xml`);
      expect(source).toMatchObject({ status: 'failed', errorCode: 'limit_exceeded' });
      expect(source.errorReason).toContain('lists 100,000 new pages');
      expect(source.errorReason).toContain('allows 50 web pages');
      expect(source.errorReason).toContain('Nothing was added');
      expect((await bodyOf(await api('/documents?pageSize=1'))).total).toBe(documentsBefore);
    }, 120_000);

    it('each refusal is a specific reason on the document in the dashboard list', async () => {
      const cases: Array<[string, string, string]> = [
        ['/private/salaries', 'robots_disallowed', 'robots.txt does not allow'],
        ['/huge', 'too_large', 'is larger than 2 MB'],
        ['/slow', 'timeout', 'did not answer within 5 seconds'],
        ['/report.pdf', 'not_html', 'is not an HTML page (it is application/pdf)'],
        ['/gone', 'http_status', 'answered HTTP 404'],
      ];
      for (const [path] of cases) expect((await add(`${site.origin}${path}`)).status).toBe(202);
      const list = async () =>
        (await bodyOf(await api('/documents?pageSize=100&status=failed'))).items as JsonBody[];
      for (const [path, code, reason] of cases) {
        const { source, document } = await settled(`${site.origin}${path}`);
        expect(source.errorCode, path).toBe(code);
        expect(document.errorReason, path).toContain(reason);
        expect((await list()).find((d) => d.id === document.id)?.errorReason, path).toContain(reason);
      }
      expect(site.hits('/private/salaries')).toHaveLength(0);
    }, 120_000);

    it('says what is wrong with a URL at once, and refuses one already added', async () => {
      const bad = await add('ftp://example.com/file');
      expect(bad.status).toBe(400);
      expect((await bodyOf(bad)).error.message).toContain('Only http and https');
      const none = await add('   ');
      expect(none.status).toBe(400);
      const again = await add(`${site.origin}/travel`);
      expect(again.status).toBe(409);
      expect((await bodyOf(again)).error.message).toContain('already a source');
      const audit = await withTransaction(app.container.db, (c) =>
        c.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM lore.audit_log WHERE action = 'web_source.added'",
        ),
      );
      expect(audit.rows[0]?.n).toBeGreaterThan(0);
    });

    it('`docs add-url` follows a page from the command line, and names what it refused', async () => {
      site.routes['/cli-page'] = html(htmlPage('Parking', 'Visitors park on level two of the garage.'));
      const out = createCliOutput();
      const ctx = { ...app.container, where: 'local' as const, actor: 'cli:test', cwd: process.cwd() };
      const code = await runCli(
        ['docs', 'add-url', '--tenant', 'demo', `${site.origin}/cli-page`, 'gopher://x'],
        ctx,
        out,
      );
      expect(code).toBe(1);
      expect(out.text()).toContain(`${site.origin}/cli-page: queued (page)`);
      expect(out.text()).toContain('gopher://x: Only http and https pages can be added');
      const { document } = await settled(`${site.origin}/cli-page`);
      expect(document).toMatchObject({ status: 'ready', title: 'Parking', createdBy: 'cli:test' });
    });

    it("another workspace's key sees none of these sources and cannot read their documents", async () => {
      const other = (
        await createTenant(app.container.db, {
          slackTeamId: `TWEB${randomUUID().slice(0, 6).toUpperCase()}`,
          name: 'Other Co',
        })
      ).id;
      const otherKey = (await createApiKey(app.container.db, other, { name: 'sync', actor: 'test' })).key;
      const asOther = (path: string) =>
        fetch(`${app.url}/api${path}`, { headers: { authorization: `Bearer ${otherKey}` } });
      expect((await bodyOf(await asOther('/documents/web'))).items).toEqual([]);
      const mine = await sourceOf(`${site.origin}/travel`);
      expect((await asOther(`/documents/${mine.documentId}`)).status).toBe(404);
    });

    it('needs the documents:write scope to add or stop following a source, and documents:read to list them', async () => {
      const readOnly = (
        await createApiKey(app.container.db, tenantId, {
          name: 'read',
          actor: 'test',
          scopes: ['documents:read'],
        })
      ).key;
      const asReader = (path: string, init: RequestInit = {}) =>
        fetch(`${app.url}/api${path}`, {
          ...init,
          headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
        });
      const mine = await sourceOf(`${site.origin}/travel`);
      for (const res of [
        await asReader('/documents/web', {
          method: 'POST',
          body: JSON.stringify({ url: `${site.origin}/new`, kind: 'page' }),
        }),
        await asReader(`/documents/web/${mine.id}`, { method: 'DELETE' }),
      ]) {
        expect(res.status).toBe(403);
        expect((await bodyOf(res)).error.code).toBe('missing_scope');
      }
      expect((await asReader('/documents/web')).status).toBe(200);
      expect(await sourceOf(`${site.origin}/new`)).toBeUndefined();
    });

    it('stops following a sitemap: its pages are no longer refreshed, their documents stay, and the admin action is audited', async () => {
      const sitemap = await sourceOf(`${site.origin}/sitemap.xml`);
      const page1 = await sourceOf(`${site.origin}/s/1`);
      const other = (
        await createTenant(app.container.db, {
          slackTeamId: `TDEL${randomUUID().slice(0, 6).toUpperCase()}`,
          name: 'Other Co',
        })
      ).id;
      const otherKey = (await createApiKey(app.container.db, other, { name: 'sync', actor: 'test' })).key;
      const del = (id: string, k = key) =>
        fetch(`${app.url}/api/documents/web/${id}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${k}` },
        });

      expect((await del(sitemap.id, otherKey)).status).toBe(404);
      expect((await del('not-an-id')).status).toBe(400);
      expect((await del(sitemap.id)).status).toBe(204);
      expect((await del(sitemap.id)).status).toBe(404);
      const left = (await bodyOf(await api('/documents/web'))).items as JsonBody[];
      expect(left.filter((x) => x.url.includes('/s/') || x.url.endsWith('/sitemap.xml'))).toEqual([]);
      expect((await bodyOf(await api(`/documents/${page1.documentId}`))).document.status).toBe('ready');
      const audit = await withTransaction(app.container.db, (c) =>
        c.query(`SELECT details FROM lore.audit_log WHERE action = 'web_source.removed' AND target = $1`, [
          sitemap.id,
        ]),
      );
      expect(audit.rows).toEqual([
        { details: { url: `${site.origin}/sitemap.xml`, kind: 'sitemap', pages: 5 } },
      ]);
    });

    it("the scheduled refresh claims only active workspaces' due sources, each once", async () => {
      const other = (
        await createTenant(app.container.db, {
          slackTeamId: `TSUS${randomUUID().slice(0, 6).toUpperCase()}`,
          name: 'Paused Co',
        })
      ).id;
      const [paused] = await withTenant(app.container.db, other, (c) =>
        followPages(c, { tenantId: other, urls: [`${site.origin}/travel`], actor: 'test' }),
      );
      await withTransaction(app.container.db, async (c) => {
        await c.query(`UPDATE lore.tenants SET status = 'suspended' WHERE id = $1`, [other]);
        await c.query('UPDATE lore.web_sources SET next_fetch_at = now()');
      });
      const claim = () =>
        withTransaction(app.container.db, (c) => claimDueSources(c, { limit: 10_000, refreshMs: 3_600_000 }));
      const claimed = await claim();
      expect(claimed.map((s) => s.tenantId)).not.toContain(other);
      expect(claimed.map((s) => s.id)).not.toContain(paused?.id);
      expect(claimed.length).toBeGreaterThan(5);
      expect(await claim()).toEqual([]);
    });
  },
);
