import express, { Router } from 'express';
import {
  type ApiKeyDto,
  apiKeyIdParams,
  type CreatedApiKeyDto,
  createApiKeyBody,
} from '../../../contracts/settings.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../../tenants/api-keys.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

/** `/api/api-keys`: keys for scripted document syncs; the key is shown once, at creation. */
export function apiKeysRoutes(deps: { db: Database }): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  router.get('/api-keys', async (req, res) => {
    const items = wire(await listApiKeys(deps.db, authOf(req).tenantId)) satisfies ApiKeyDto[];
    res.set('Cache-Control', 'no-store').json({ items });
  });

  router.post('/api-keys', json, async (req, res) => {
    const auth = authOf(req);
    const { name } = parseInput(createApiKeyBody, req.body ?? {});
    const created = await createApiKey(deps.db, auth.tenantId, { name, actor: auth.actor });
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
