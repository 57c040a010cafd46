import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalBlobStore } from '../../src/infra/blob/local-blob-store.js';
import { createEmbeddedDatabase } from '../../src/infra/db/database.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { withTenant, withTransaction } from '../../src/infra/db/transaction.js';
import { anyAddress } from '../../src/infra/http/address-policy.js';
import { createSafeFetch } from '../../src/infra/http/safe-fetch.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { ingestJob } from '../../src/knowledge/ingest.job.js';
import { createRobotsCheck } from '../../src/knowledge/web/robots.js';
import { webFetchJob } from '../../src/knowledge/web/web-fetch.job.js';
import { followPages } from '../../src/knowledge/web/web-sources.service.js';
import { createLogger } from '../../src/logger.js';
import { insertTenant } from '../../src/tenants/tenants.repo.js';
import { reportBench } from './report.js';

/**
 * What a daily refresh costs per page on embedded Postgres, from a local site. Baseline in the same run: a
 * bare GET of the same page (the floor any refresh pays). Lore: a page answering 304 to its ETag, a page
 * with no validators whose bytes did not change (checksum), and a changed page (new version: intake and
 * the ingest job, full text only). The first two should sit near the baseline; the third is the real work
 * they avoid.
 */
const ROUNDS = 30;
const paragraph = 'Travel is booked through the travel desk at least fourteen days ahead of the trip. ';
let changes = 0;
const page = (extra = '') =>
  `<html><head><title>Travel</title></head><body><main><h1>Travel</h1>${`<p>${paragraph.repeat(8)}</p>`.repeat(40)}${extra}</main></body></html>`;
const server = createServer((req, res) => {
  if (req.url === '/etag') {
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    return void res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"' }).end(page());
  }
  if (req.url === '/same') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page());
  if (req.url === '/changing') {
    return void res.writeHead(200, { 'content-type': 'text/html' }).end(page(`<p>Change ${++changes}.</p>`));
  }
  res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const logger = createLogger({ level: 'silent' });
const db = await createEmbeddedDatabase('memory://');
await migrate(db);
const dir = await mkdtemp(path.join(tmpdir(), 'lore-bench-web-'));
const blobs = createLocalBlobStore(dir);
const queue = createMemoryQueue({ logger });
const tenant = await withTransaction(db, (c) =>
  insertTenant(c, {
    slackTeamId: 'TBENCHWEB',
    slackEnterpriseId: null,
    isEnterpriseInstall: false,
    name: 'Bench',
    planId: 'business',
  }),
);
const fetch = createSafeFetch({ policy: anyAddress, timeoutMs: 10_000, userAgent: 'LoreBot/bench' });
const fetchJob = webFetchJob.bind({
  db,
  blobs,
  queue,
  logger,
  web: { fetch, robotsAllow: createRobotsCheck(fetch), refreshMs: 86_400_000 },
});
const ingest = ingestJob.bind({ db, blobs, logger, embeddingModel: 'none', embedderFor: async () => null });
const [etag, same, changing] = await withTenant(db, tenant.id, (c) =>
  followPages(c, {
    tenantId: tenant.id,
    urls: [`${origin}/etag`, `${origin}/same`, `${origin}/changing`],
    actor: 'bench',
  }),
);
if (!etag || !same || !changing) throw new Error('sources not created');

const run = (id: string) =>
  fetchJob(
    { v: 1, tenantId: tenant.id, sourceId: id, round: 'bench' },
    { jobId: id, attempt: 1, name: 'web-fetch' },
  );
/** A fetch, plus the ingest job of any version it queued: everything a refresh causes. */
async function refresh(id: string, documentId: string): Promise<number> {
  const t0 = performance.now();
  await run(id);
  const { rows } = await withTenant(db, tenant.id, (c) =>
    c.query<{ id: string }>(
      `SELECT id FROM lore.document_versions WHERE document_id = $1 AND status = 'queued'`,
      [documentId],
    ),
  );
  for (const v of rows) {
    await ingest(
      { v: 1, tenantId: tenant.id, documentId, versionId: v.id },
      { jobId: v.id, attempt: 1, name: 'ingest' },
    );
  }
  return performance.now() - t0;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const bareGet = async () => {
  const t0 = performance.now();
  await (await globalThis.fetch(`${origin}/same`)).arrayBuffer();
  return performance.now() - t0;
};
const cases = {
  bare: bareGet,
  notModified: () => refresh(etag.id, etag.documentId as string),
  sameBytes: () => refresh(same.id, same.documentId as string),
  changed: () => refresh(changing.id, changing.documentId as string),
};
// Interleaved, so a load spike on the shared machine hits every case alike; the first round warms up.
const times: Record<keyof typeof cases, number[]> = { bare: [], notModified: [], sameBytes: [], changed: [] };
for (let i = 0; i <= ROUNDS; i++) {
  for (const [name, fn] of Object.entries(cases) as Array<[keyof typeof cases, () => Promise<number>]>) {
    const ms = await fn();
    if (i > 0) times[name].push(ms);
  }
}
const [bare, notModified, sameBytes, changed] = [
  times.bare,
  times.notModified,
  times.sameBytes,
  times.changed,
].map(median) as [number, number, number, number];
const versions = await withTenant(db, tenant.id, (c) =>
  c.query<{ doc: string; n: number }>(
    'SELECT document_id AS doc, count(*)::int AS n FROM lore.document_versions GROUP BY document_id',
  ),
);
const versionsOf = (id: string | null) => versions.rows.find((r) => r.doc === id)?.n ?? 0;

reportBench({
  name: 'web-refresh',
  description: `median ms per page refresh (${ROUNDS} rounds, ${page().length} bytes) vs a bare GET of the same page`,
  rows: [
    { metric: 'unchanged: 304 to its ETag', baseline: bare, lore: notModified },
    { metric: 'unchanged: same bytes', baseline: bare, lore: sameBytes },
    { metric: 'changed: new version+ingest', baseline: bare, lore: changed },
    {
      metric: 'versions: unchanged pages',
      baseline: 2,
      lore: versionsOf(etag.documentId) + versionsOf(same.documentId),
    },
    { metric: 'versions: changed page', baseline: ROUNDS + 1, lore: versionsOf(changing.documentId) },
  ],
});
await fetch.close();
await queue.close();
await db.close();
await rm(dir, { recursive: true, force: true });
server.close();
