import express, { Router } from 'express';
import {
  type DeletedDataDto,
  deleteAllDataBody,
  openAiKeyBody,
  type SettingsDto,
  updateSettingsBody,
} from '../../../contracts/settings.contract.js';
import { openAiKeyProblem } from '../../../errors.js';
import type { BlobStore } from '../../../infra/blob/blob-store.js';
import type { CipherBox } from '../../../infra/crypto/cipher-box.js';
import type { Database } from '../../../infra/db/database.js';
import { deleteAllTenantData } from '../../../tenants/lifecycle/tenant-data.service.js';
import {
  clearTenantOpenAiKey,
  getTenantSettings,
  setTenantOpenAiKey,
  updateTenantSettings,
} from '../../../tenants/settings/settings.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

/** Tests an OpenAI key with a cheap call (injected: src/ai/openai-key-check.ts in production, a fake in tests). */
export type OpenAiKeyCheck = (
  key: string,
) => Promise<{ ok: true } | { ok: false; reason: 'rejected' | 'no_quota' | 'unreachable' }>;

const KEY_PROBLEMS = {
  rejected: 'OpenAI did not accept this key. Check that it is complete and not revoked.',
  no_quota: 'OpenAI accepted the key but its account has no quota left. Add credit, or use another key.',
  unreachable: 'OpenAI could not be reached to test the key. Try again in a moment.',
} as const;

/** `/api/settings`: channels, answer style, per-user limits, the tenant's OpenAI key, and the danger zone. */
export function settingsRoutes(deps: {
  db: Database;
  blobs: BlobStore;
  cipher: CipherBox;
  checkOpenAiKey: OpenAiKeyCheck;
}): Router {
  const router = Router();
  const json = express.json({ limit: '32kb' });
  const current = async (tenantId: string) =>
    wire(await getTenantSettings(deps.db, tenantId)) satisfies SettingsDto;

  router.get('/settings', async (req, res) => {
    res.json(await current(authOf(req).tenantId));
  });

  router.patch('/settings', json, async (req, res) => {
    const auth = authOf(req);
    const change = parseInput(updateSettingsBody, req.body ?? {});
    await updateTenantSettings(deps.db, auth.tenantId, change, auth.actor);
    res.json(await current(auth.tenantId));
  });

  router.put('/settings/openai-key', json, async (req, res) => {
    const auth = authOf(req);
    const { key } = parseInput(openAiKeyBody, req.body ?? {});
    const check = await deps.checkOpenAiKey(key);
    if (!check.ok) {
      throw openAiKeyProblem(check.reason, KEY_PROBLEMS[check.reason]);
    }
    await setTenantOpenAiKey(deps.db, deps.cipher, auth.tenantId, key, auth.actor);
    res.json(await current(auth.tenantId));
  });

  router.delete('/settings/openai-key', async (req, res) => {
    const auth = authOf(req);
    await clearTenantOpenAiKey(deps.db, auth.tenantId, auth.actor);
    res.json(await current(auth.tenantId));
  });

  router.post('/settings/delete-all-data', json, async (req, res) => {
    const auth = authOf(req);
    const { confirm } = parseInput(deleteAllDataBody, req.body ?? {});
    const deleted = await deleteAllTenantData(deps, auth.tenantId, { confirm, actor: auth.actor });
    res.json(deleted satisfies DeletedDataDto);
  });

  return router;
}
