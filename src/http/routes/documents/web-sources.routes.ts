import express, { Router } from 'express';
import {
  addWebSourceBody,
  type WebSourceDto,
  webSourceIdParams,
} from '../../../contracts/web-sources.contract.js';
import type { WebSourceRecord } from '../../../knowledge/web/web-sources.repo.js';
import {
  addWebSource,
  listSources,
  unfollowWebSource,
  type WebSourcesDeps,
} from '../../../knowledge/web/web-sources.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';

function toWebSourceDto(s: WebSourceRecord): WebSourceDto {
  return {
    id: s.id,
    kind: s.kind,
    url: s.url,
    sitemapId: s.sitemapId,
    documentId: s.documentId,
    status: s.status,
    errorCode: s.errorCode,
    errorReason: s.errorReason,
    fetchedAt: s.fetchedAt?.toISOString() ?? null,
    nextFetchAt: s.nextFetchAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
  };
}

/**
 * `/api/documents/web`: add a page or a sitemap (validated and queued here; fetched by the worker) and list
 * the workspace's web sources with each one's last refusal. Sessions and API keys alike, as uploads.
 */
export function webSourcesRoutes(deps: WebSourcesDeps): Router {
  const router = Router();
  router.post('/documents/web', express.json({ limit: '8kb' }), async (req, res) => {
    const auth = authOf(req);
    const body = parseInput(addWebSourceBody, req.body ?? {});
    const source = await addWebSource(deps, auth.tenantId, {
      url: body.url,
      kind: body.kind,
      actor: auth.actor,
      requestId: String(req.id),
    });
    res.status(202).json({ source: toWebSourceDto(source) });
  });
  // Stop following a page or sitemap; the documents it made stay (delete them from /api/documents).
  router.delete('/documents/web/:id', async (req, res) => {
    const auth = authOf(req);
    const { id } = parseInput(webSourceIdParams, req.params);
    await unfollowWebSource(deps.db, auth.tenantId, id, auth.actor);
    res.status(204).end();
  });
  router.get('/documents/web', async (req, res) => {
    const sources = await listSources(deps.db, authOf(req).tenantId);
    res.json({ items: sources.map(toWebSourceDto) });
  });
  return router;
}
