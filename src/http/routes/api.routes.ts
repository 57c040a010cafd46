import { Router } from 'express';
import { checkOpenAiKey } from '../../ai/openai-key-check.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { CipherBox } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { BOT_SCOPES } from '../../slack/scopes.js';
import type { TenantLifecycle } from '../../tenants/lifecycle.service.js';
import { loadSession, requirePlatformAdmin, requireSession } from '../middleware/session-auth.js';
import { requireTenant } from '../middleware/tenant-auth.js';
import { sessionRoutes } from './auth/session.routes.js';
import { apiKeysRoutes } from './dashboard/api-keys.routes.js';
import { type AskFn, askRoutes } from './dashboard/ask.routes.js';
import { auditRoutes } from './dashboard/audit.routes.js';
import { conversationsRoutes } from './dashboard/conversations.routes.js';
import { overviewRoutes } from './dashboard/overview.routes.js';
import { type OpenAiKeyCheck, settingsRoutes } from './dashboard/settings.routes.js';
import { usageRoutes } from './dashboard/usage.routes.js';
import { documentsRoutes } from './documents/documents.routes.js';
import { platformRoutes } from './platform/platform.routes.js';

export interface ApiDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
  cipher: CipherBox;
  config: Pick<Config, 'publicUrl' | 'openai'>;
  tenants: { lifecycle: Pick<TenantLifecycle, 'suspend' | 'resume'> };
  /** The embedding model chunks are embedded with now, or null when no provider is configured. */
  embeddingModel: string | null;
  /** The answer pipeline for the Ask playground; without it /api/ask answers 503. */
  ask?: AskFn;
  /** Tests a tenant's OpenAI key before it is stored (default: GET /models through the openai SDK). */
  checkOpenAiKey?: OpenAiKeyCheck;
}

const askUnavailable: AskFn = async () => {
  throw new AppError({
    code: 'unavailable',
    message: 'The answer pipeline is not available on this server',
    status: 503,
  });
};

/**
 * Everything under `/api`, JSON in and out. A dashboard session (cookie + CSRF token) may use every tenant
 * route; an API key (`Bearer`) only /api/documents; /api/platform is for PLATFORM_ADMINS' sessions.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const checkKey =
    deps.checkOpenAiKey ?? ((key) => checkOpenAiKey(key, { baseUrl: deps.config.openai.baseUrl }));
  router.use('/api', loadSession(deps), sessionRoutes(deps));
  router.use(
    '/api/platform',
    requirePlatformAdmin,
    platformRoutes({ db: deps.db, lifecycle: deps.tenants.lifecycle }),
  );
  router.use(
    '/api',
    requireTenant(deps),
    documentsRoutes(deps),
    requireSession,
    overviewRoutes({ db: deps.db, publicUrl: deps.config.publicUrl, requiredScopes: BOT_SCOPES }),
    settingsRoutes({ ...deps, checkOpenAiKey: checkKey }),
    apiKeysRoutes(deps),
    usageRoutes(deps),
    conversationsRoutes(deps),
    auditRoutes(deps),
    askRoutes({ ask: deps.ask ?? askUnavailable }),
  );
  return router;
}
