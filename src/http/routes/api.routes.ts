import { Router } from 'express';
import { checkOpenAiKey } from '../../ai/openai-key-check.js';
import type { Config } from '../../config.js';
import { unavailable } from '../../errors.js';
import type { BlobStore } from '../../infra/blob/blob-store.js';
import type { CipherBox } from '../../infra/crypto/cipher-box.js';
import type { Database } from '../../infra/db/database.js';
import type { AddressPolicy } from '../../infra/http/address-policy.js';
import type { Metrics } from '../../infra/metrics.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { ChannelDirectory } from '../../slack/channel-directory.js';
import { BOT_SCOPES } from '../../slack/scopes.js';
import type { InstallationHealth } from '../../tenants/installations/installation-health.service.js';
import type { TenantLifecycle } from '../../tenants/lifecycle/lifecycle.service.js';
import { loadSession, requirePlatformAdmin, requireSession } from '../middleware/session-auth.js';
import type { SessionRecheck } from '../middleware/session-recheck.js';
import { requireApiKeyScope, requireTenant } from '../middleware/tenant-auth.js';
import { sessionRoutes } from './auth/session.routes.js';
import { apiKeysRoutes } from './dashboard/api-keys.routes.js';
import { type AskFn, askRoutes } from './dashboard/ask.routes.js';
import { auditRoutes } from './dashboard/audit.routes.js';
import { collectionsRoutes } from './dashboard/collections.routes.js';
import { conversationsRoutes } from './dashboard/conversations.routes.js';
import { noticesRoutes } from './dashboard/notices.routes.js';
import { overviewRoutes } from './dashboard/overview.routes.js';
import { plansRoutes } from './dashboard/plans.routes.js';
import { type OpenAiKeyCheck, settingsRoutes } from './dashboard/settings.routes.js';
import { usageRoutes } from './dashboard/usage.routes.js';
import { documentsRoutes } from './documents/documents.routes.js';
import { webSourcesRoutes } from './documents/web-sources.routes.js';
import type { ReadinessCheck } from './health.routes.js';
import { announcementsRoutes } from './platform/announcements.routes.js';
import { brokenInstallationsRoutes } from './platform/broken-installations.routes.js';
import { platformHealthRoutes } from './platform/health.routes.js';
import { platformRoutes } from './platform/platform.routes.js';

export interface ApiDeps {
  db: Database;
  blobs: BlobStore;
  queue: JobQueue;
  cipher: CipherBox;
  config: Pick<Config, 'publicUrl' | 'openai'>;
  tenants: {
    lifecycle: Pick<TenantLifecycle, 'suspend' | 'resume'>;
    health: Pick<InstallationHealth, 'list' | 'count'>;
  };
  /** The embedding model chunks are embedded with now, or null when no provider is configured. */
  embeddingModel: string | null;
  /** The answer pipeline for the Ask playground; without it /api/ask answers 503. */
  ask?: AskFn;
  /** Re-checks a session's operator and workspace rights on every request (absent: trusted as signed in). */
  recheckSession?: SessionRecheck;
  metrics: Metrics;
  /** The /readyz checks, run again for the operator's health view. */
  healthChecks?: ReadinessCheck[];
  /** Where Slack delivers events (their 5xx share is on the health view). */
  slackEventsPath?: string;
  /** Tests a tenant's OpenAI key before it is stored (default: GET /models through the openai SDK). */
  checkOpenAiKey?: OpenAiKeyCheck;
  /** Channel names for the collection settings (conversations.list, cached); absent: ids only. */
  channels?: ChannelDirectory;
  /** The addresses web sources may be fetched from (checked for address literals when one is added). */
  webAddressPolicy: AddressPolicy;
}

const askUnavailable: AskFn = async () => {
  throw unavailable('The answer pipeline is not available on this server');
};

/**
 * Everything under `/api`, JSON in and out. A dashboard session (cookie + CSRF token) may use every tenant
 * route; an API key (`Bearer`) only /api/documents and /api/ask, as its scopes allow; /api/platform is for
 * PLATFORM_ADMINS' sessions.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const router = Router();
  const checkKey =
    deps.checkOpenAiKey ?? ((key) => checkOpenAiKey(key, { baseUrl: deps.config.openai.baseUrl }));
  router.use('/api', loadSession({ db: deps.db, recheck: deps.recheckSession }), sessionRoutes(deps));
  router.use(
    '/api/platform',
    requirePlatformAdmin,
    platformRoutes({ db: deps.db, lifecycle: deps.tenants.lifecycle }),
    brokenInstallationsRoutes({ health: deps.tenants.health }),
    announcementsRoutes(deps),
    platformHealthRoutes({
      ...deps,
      health: deps.tenants.health,
      checks: deps.healthChecks ?? [],
      slackEventsPath: deps.slackEventsPath ?? '/slack/events',
    }),
  );
  router.use(
    '/api',
    requireTenant(deps),
    requireApiKeyScope,
    // Before documentsRoutes, whose /documents/:id would take /documents/web.
    webSourcesRoutes({ db: deps.db, queue: deps.queue, policy: deps.webAddressPolicy }),
    documentsRoutes(deps),
    askRoutes({ ask: deps.ask ?? askUnavailable }),
    requireSession,
    overviewRoutes({ db: deps.db, publicUrl: deps.config.publicUrl, requiredScopes: BOT_SCOPES }),
    noticesRoutes({ db: deps.db, publicUrl: deps.config.publicUrl }),
    plansRoutes(deps),
    settingsRoutes({ ...deps, checkOpenAiKey: checkKey }),
    apiKeysRoutes(deps),
    collectionsRoutes(deps),
    usageRoutes(deps),
    conversationsRoutes(deps),
    auditRoutes(deps),
  );
  return router;
}
