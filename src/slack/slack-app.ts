import { App, type AuthorizeSourceData, ExpressReceiver } from '@slack/bolt';
// Not re-exported from the package's index; the same handlers ExpressReceiver's own POST route runs.
import { respondToSslCheck, respondToUrlVerification } from '@slack/bolt/dist/receivers/ExpressReceiver.js';
import type { RequestHandler, Router } from 'express';
import type { Config } from '../config.js';
import { type ErrorCode, isAppError } from '../errors.js';
import type { Database } from '../infra/db/database.js';
import type { Metrics } from '../infra/metrics.js';
import type { JobQueue } from '../infra/queue/job-queue.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import type { InstallationRecord } from '../tenants/installations/installation.types.js';
import {
  BrokenInstallationError,
  type InstallationHealth,
} from '../tenants/installations/installation-health.service.js';
import type { InstallationService } from '../tenants/installations/installations.service.js';
import type { TenantLifecycle } from '../tenants/lifecycle/lifecycle.service.js';
import { createThreadMembership } from './answers/thread-membership.js';
import { createAuthorize, type LoreAuthorize, needsRefresh } from './authorize.js';
import { createBoltLogger } from './bolt-logger.js';
import { boundBoltClientPools } from './bounded-client-pools.js';
import { type ClientFactory, createClientFactory, REQUEST_RETRY } from './client-factory.js';
import { createInstallationStore } from './installation-store.js';
import { registerListeners } from './listeners/index.js';
import { listenerGate } from './middleware/listener-gate.js';
import { SLACK_EVENTS_PATH } from './middleware/request-window.js';
import { slackOnlyFetch } from './middleware/response-url-gate.js';
import { addInstallPageFallbacks, oauthReceiverOptions } from './oauth-routes.js';
import { createOutboundLimiter } from './outbound-limits.js';
import { createObservedFetch } from './rate-limits.js';
import { createTokenWatch } from './token-watch.js';
import { createWelcomeSender } from './welcome-sender.js';

export interface SlackAppDeps {
  config: Config;
  logger: Logger;
  kv: KeyValueStore;
  metrics: Metrics;
  installations: InstallationService;
  lifecycle: TenantLifecycle;
  /** Where the answering listeners record votes and read threads, and queue questions. */
  db: Database;
  queue: JobQueue;
  /** OAuth state lifetime (default ten minutes). */
  stateTtlMs?: number;
  /** Broken-installation marks: set when Slack refuses a token, checked before a job calls Slack. */
  health?: InstallationHealth;
}

/** Lore's Slack surface: Bolt's app, the Express router to mount, and what jobs need from Slack. */
export interface SlackApp {
  app: App;
  /** POST /slack/events, GET /slack/install, GET /slack/oauth_redirect (mount without a body parser before it). */
  router: Router;
  /**
   * POST /slack/events after slackDeliveryGate (which verified the signature and left the parsed body in
   * `req.body`): Bolt's receiver without its second read, verification and parse of the body.
   */
  events: RequestHandler[];
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

/** Workspaces whose Bolt WebClient is kept between events (a miss only builds a new client). */
const BOLT_CLIENT_POOLS = 1_000;

const sourceOf = (r: InstallationRecord): AuthorizeSourceData<boolean> => ({
  teamId: r.teamId ?? undefined,
  enterpriseId: r.enterpriseId ?? undefined,
  isEnterpriseInstall: r.isEnterpriseInstall,
});

/**
 * What ExpressReceiver's POST route does once its body parser verified and parsed the delivery (Bolt's own
 * ssl_check and url_verification answers, then its requestHandler), for a delivery the gate verified and
 * parsed. The receiver's own route (`router`) keeps verifying: anything that reaches it unverified is refused.
 */
function verifiedEventsHandlers(receiver: ExpressReceiver): RequestHandler[] {
  return [respondToSslCheck, respondToUrlVerification, (req, res) => receiver.requestHandler(req, res)];
}

/** Builds Bolt's App on an ExpressReceiver with Lore's installation store, state store and pages. */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, installations } = deps;
  const logger = deps.logger.child({ component: 'slack' });
  const boltLogger = createBoltLogger(deps.logger);
  // A token Slack refuses marks its installation broken, whichever client made the call.
  const tokenWatch = createTokenWatch({
    logger,
    onBroken: async ({ token, ...b }) => {
      // A call still in flight with the token a reinstall just replaced must not mark the new install.
      if ((await installations.findByTenant(b.tenantId))?.bot?.token !== token) return;
      if (await deps.health?.markBroken(b)) clients.forget(b.tenantId);
    },
  });
  // Each workspace's calls keep within Slack's per-method tiers, whichever process or client makes them.
  const outbound = createOutboundLimiter({ kv: deps.kv, logger });
  // Every Web API call (Bolt's clients, the installer's oauth.v2.access and auth.test) goes to SLACK_API_URL.
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: REQUEST_RETRY,
    // Bolt's respond() posts with this fetch too: nothing leaves for a host that is not Slack's.
    fetch: slackOnlyFetch(
      tokenWatch.wrap(outbound.wrap(createObservedFetch({ logger, metrics: deps.metrics }))),
      config.slack.apiUrl,
    ),
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
    // Redis is down), or a listener could not queue its work (see onError): 500, so Slack retries the
    // delivery later instead of losing the event; 503 when too many questions are waiting (queue_full).
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) return false;
      response.writeHead(isAppError(error) && error.code === 'queue_full' ? 503 : 500);
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
  const loreAuthorize = createAuthorize({
    installations,
    kv: deps.kv,
    logger: deps.logger,
    boltAuthorize: installer ? installer.authorize : undefined,
  });
  // Every Slack client's bot token comes through here: the token watch learns whose it is. User tokens are
  // left out: one person's refused token (they left the workspace) says nothing about the installation.
  const authorize: LoreAuthorize = async (source) => {
    const result = await loreAuthorize(source);
    if (result.botToken) tokenWatch.remember(result.botToken, result.tenantId);
    return result;
  };
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
  // Bolt would keep a WebClient for every workspace that ever sent an event.
  boundBoltClientPools(app, BOLT_CLIENT_POOLS);
  app.use(listenerGate(config.slack.apiUrl, logger));
  // Bolt's error sink. A workspace with no installation is answered 200 (acknowledged, logged): a 401 counts
  // as a failed delivery, and Slack disables apps whose deliveries fail.
  const onError: Parameters<App['error']>[0] = async ({ error, body, context }) => {
    const ids = {
      teamId: context?.teamId ?? (body as { team_id?: string })?.team_id,
      enterpriseId: context?.enterpriseId,
      tenantId: context?.tenantId,
    };
    if (error.code === 'slack_bolt_authorization_error') {
      if (rootCode(error) === ('not_installed' satisfies ErrorCode)) {
        logger.info(ids, 'request for a workspace with no installation: acknowledged, no listener ran');
        return;
      }
      logger.error(
        { ...ids, errorCode: rootCode(error) },
        'could not authorize a Slack request; Slack will retry it',
      );
      throw error;
    }
    // A listener that could not hand its work on (queue, Redis or database down, or too many questions
    // waiting) must not be acknowledged: the 5xx makes Slack deliver the event again. A refusal for too many
    // waiting was logged, with which limit, where it was made.
    if (error.code === 'queue_full') throw error;
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
    fetch: tokenWatch.wrap(outbound.wrap((url, init) => globalThis.fetch(url, init as RequestInit))),
    resolveBotToken: async (tenantId) => {
      const record = await installations.findByTenant(tenantId);
      if (!record?.bot || record.tenantStatus === 'inactive') return null;
      // Calling Slack again with a refused token only fails again: the job stops here, without retries.
      const broken = await deps.health?.brokenOf(tenantId);
      if (broken) throw new BrokenInstallationError(broken);
      const result = await authorize(sourceOf(record));
      return result.botToken ? { token: result.botToken, teamId: record.teamId ?? undefined } : null;
    },
  });
  registerListeners(app, {
    lifecycle: deps.lifecycle,
    logger,
    forgetClient: clients.forget,
    db: deps.db,
    kv: deps.kv,
    queue: deps.queue,
    publicUrl: config.publicUrl,
    slackApiUrl: config.slack.apiUrl,
    threads: createThreadMembership({ db: deps.db, kv: deps.kv }),
  });

  const router = receiver.router as Router;
  addInstallPageFallbacks(router, { oauthConfigured, logger });

  return {
    app,
    router,
    events: verifiedEventsHandlers(receiver),
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
