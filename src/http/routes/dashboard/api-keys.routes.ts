import express, { Router } from 'express';
import {
  type ApiKeyDto,
  apiKeyIdParams,
  type CreatedApiKeyDto,
  createApiKeyBody,
  rotateApiKeyBody,
} from '../../../contracts/settings.contract.js';
import type { Database } from '../../../infra/db/database.js';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
} from '../../../tenants/access/api-keys.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

/** `/api/api-keys`: keys for scripts (documents, ask), with scopes and expiry; a key is shown once, at creation or rotation. */
export function apiKeysRoutes(deps: { db: Database }): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  router.get('/api-keys', async (req, res) => {
    const items = wire(await listApiKeys(deps.db, authOf(req).tenantId)) satisfies ApiKeyDto[];
    res.set('Cache-Control', 'no-store').json({ items });
  });

  router.post('/api-keys', json, async (req, res) => {
    const auth = authOf(req);
    const input = parseInput(createApiKeyBody, req.body ?? {});
    const created = await createApiKey(deps.db, auth.tenantId, { ...input, actor: auth.actor });
    const body = { key: created.key, apiKey: wire(created.info) } satisfies CreatedApiKeyDto;
    res.status(201).set('Cache-Control', 'no-store').json(body);
  });

  router.post('/api-keys/:id/rotate', json, async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(apiKeyIdParams, req.params, 'API key');
    const { graceHours } = parseInput(rotateApiKeyBody, req.body ?? {});
    const created = await rotateApiKey(deps.db, auth.tenantId, { id, graceHours, actor: auth.actor });
    const body = { key: created.key, apiKey: wire(created.info) } satisfies CreatedApiKeyDto;
    res.status(201).set('Cache-Control', 'no-store').json(body);
  });

  router.delete('/api-keys/:id', async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(apiKeyIdParams, req.params, 'API key');
    await revokeApiKey(deps.db, auth.tenantId, { id, actor: auth.actor });
    res.status(204).end();
  });

  return router;
}
