import { App, type AuthorizeSourceData, ExpressReceiver } from '@slack/bolt';
import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Metrics } from '../infra/metrics.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import type { InstallationRecord } from '../tenants/installation.types.js';
import type { InstallationService } from '../tenants/installations.service.js';
import type { TenantLifecycle } from '../tenants/lifecycle.service.js';
import { createAuthorize, type LoreAuthorize, needsRefresh } from './authorize.js';
import { createBoltLogger } from './bolt-logger.js';
import { type ClientFactory, createClientFactory } from './client-factory.js';
import { createInstallationStore } from './installation-store.js';
import { createEventRouter, type SlackEvents } from './listeners/event-router.js';
import { registerListeners } from './listeners/index.js';
import { SLACK_EVENTS_PATH } from './middleware/request-window.js';
import { tenantStatusGate } from './middleware/tenant-status.js';
import { addInstallPageFallbacks, oauthReceiverOptions } from './oauth-routes.js';
import { createObservedFetch } from './rate-limits.js';
import { createWelcomeSender } from './welcome-sender.js';

export interface SlackAppDeps {
  config: Config;
  logger: Logger;
  kv: KeyValueStore;
  metrics: Metrics;
  installations: InstallationService;
  lifecycle: TenantLifecycle;
  /** More listeners (answers, App Home, feedback), registered after Lore's own. */
  extraListeners?: (app: App, events: SlackEvents) => void;
  /** OAuth state lifetime (default ten minutes). */
  stateTtlMs?: number;
}

/** Lore's Slack surface: Bolt's app, the Express router to mount, and what jobs need from Slack. */
export interface SlackApp {
  app: App;
  /** POST /slack/events, GET /slack/install, GET /slack/oauth_redirect (mount without a body parser before it). */
  router: Router;
  /** Whether Add to Slack works (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set). */
  oauthConfigured: boolean;
  authorize: LoreAuthorize;
  clients: ClientFactory;
  /** Refreshes a tenant's rotated tokens when they expire soon; true when it had to. */
  refreshTenantTokens(tenantId: string): Promise<boolean>;
  /** DMs the installer the welcome message (used by the welcome job). */
  sendWelcome(msg: { tenantId: string; userId: string }): Promise<void>;
}

/** The innermost error code under Bolt's and @slack/oauth's AuthorizationError wrappers. */
function rootCode(error: unknown): string | undefined {
  let e = error as { code?: string; original?: unknown } | undefined;
  for (let depth = 0; e?.original && depth < 5; depth += 1) e = e.original as typeof e;
  return e?.code;
}

const sourceOf = (r: InstallationRecord): AuthorizeSourceData<boolean> => ({
  teamId: r.teamId ?? undefined,
  enterpriseId: r.enterpriseId ?? undefined,
  isEnterpriseInstall: r.isEnterpriseInstall,
});

/** Builds Bolt's App on an ExpressReceiver with Lore's installation store, state store and pages. */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, installations } = deps;
  const logger = deps.logger.child({ component: 'slack' });
  const boltLogger = createBoltLogger(deps.logger);
  // Every Web API call (Bolt's clients, the installer's oauth.v2.access and auth.test) goes to SLACK_API_URL.
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    fetch: createObservedFetch({ logger, metrics: deps.metrics }),
  };
  const oauthConfigured = Boolean(config.slack.clientId && config.slack.clientSecret);
  const dashboardUrl = `${config.publicUrl}/app`;

  const receiver = new ExpressReceiver({
    signingSecret: config.slack.signingSecret,
    logger: boltLogger,
    endpoints: SLACK_EVENTS_PATH,
    // Events are answered only after their listeners finished (they only de-duplicate and queue, in
    // milliseconds), so a listener that could not queue its work can still turn the reply into a 500.
    processBeforeResponse: true,
    // Reached only when authorization failed for another reason than "not installed" (the database or
    // Redis is down): 500, so Slack retries the delivery later instead of losing the event.
    processEventErrorHandler: async ({ response }) => {
      if (response.headersSent) return false;
      response.writeHead(500);
      response.end();
      return true;
    },
    ...(oauthConfigured
      ? oauthReceiverOptions({
          config,
          kv: deps.kv,
          logger,
          clientOptions,
          installationStore: createInstallationStore({ installations, lifecycle: deps.lifecycle }),
          stateTtlMs: deps.stateTtlMs,
        })
      : {}),
  });

  const installer = receiver.installer;
  const authorize = createAuthorize({
    installations,
    kv: deps.kv,
    logger: deps.logger,
    boltAuthorize: installer ? installer.authorize : undefined,
  });
  // Bolt's App takes its authorize from the installer; ours wraps it (cache, tenant status, refresh lock).
  if (installer) installer.authorize = authorize as typeof installer.authorize;

  const app = new App({
    receiver,
    logger: boltLogger,
    clientOptions,
    extendedErrorHandler: true,
    // Lore keeps no per-conversation state in Bolt. Bolt's default in-memory store would create an
    // Error (with its stack) on every event for a conversation it has not seen.
    convoStore: false,
    ...(installer ? {} : { authorize }),
  });
  app.use(tenantStatusGate(logger));
  // Bolt's error sink. A workspace with no installation is answered 200 (acknowledged, logged): a 401 counts
  // as a failed delivery, and Slack disables apps whose deliveries fail.
  const onError: Parameters<App['error']>[0] = async ({ error, body, context }) => {
    const ids = {
      teamId: context?.teamId ?? (body as { team_id?: string })?.team_id,
      enterpriseId: context?.enterpriseId,
      tenantId: context?.tenantId,
    };
    if (error.code === 'slack_bolt_authorization_error') {
      if (rootCode(error) === 'installation_not_found') {
        logger.info(ids, 'request for a workspace with no installation: acknowledged, no listener ran');
        return;
      }
      logger.error(
        { ...ids, errorCode: rootCode(error) },
        'could not authorize a Slack request; Slack will retry it',
      );
      throw error;
    }
    // A listener that could not hand its work on (queue, Redis or database down) must not be acknowledged:
    // the 500 makes Slack deliver the event again.
    if (error.code === 'unavailable') {
      logger.error(
        { ...ids, errorCode: error.code },
        'a Slack listener could not queue its work; Slack will retry it',
      );
      throw error;
    }
    logger.error(
      { ...ids, errorCode: error.code, err: { message: error.message, name: error.name } },
      'slack listener failed',
    );
  };
  app.error(onError);

  const clients = createClientFactory({
    apiUrl: config.slack.apiUrl,
    logger: deps.logger,
    metrics: deps.metrics,
    resolveBotToken: async (tenantId) => {
      const record = await installations.findByTenant(tenantId);
      if (!record?.bot || record.tenantStatus === 'inactive') return null;
      const result = await authorize(sourceOf(record));
      return result.botToken ? { token: result.botToken, teamId: record.teamId ?? undefined } : null;
    },
  });
  const events = createEventRouter(app);
  registerListeners(app, events, { lifecycle: deps.lifecycle, logger, forgetClient: clients.forget });
  deps.extraListeners?.(app, events);

  const router = receiver.router as Router;
  addInstallPageFallbacks(router, { oauthConfigured, logger });

  return {
    app,
    router,
    oauthConfigured,
    authorize,
    clients,
    async refreshTenantTokens(tenantId) {
      const record = await installations.findByTenant(tenantId);
      if (!record || !needsRefresh(record)) return false;
      await authorize(sourceOf(record));
      return true;
    },
    sendWelcome: createWelcomeSender({ clients, dashboardUrl }),
  };
}
