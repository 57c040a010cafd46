import type { ServerResponse } from 'node:http';
import type { ExpressReceiverOptions, InstallationStore } from '@slack/bolt';
import type { ErrorRequestHandler, Request, Router } from 'express';
import type { Config } from '../config.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import { describeInstallFailure } from './oauth-failure.js';
import {
  renderFailurePage,
  renderInstallPage,
  renderNotConfiguredPage,
  renderSuccessPage,
} from './pages/oauth-pages.js';
import { BOT_SCOPES } from './scopes.js';
import { createStateStore } from './state-store.js';

const HTML_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };

/** Sends one of the install pages. */
export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, HTML_HEADERS);
  res.end(body);
}

/**
 * The ExpressReceiver options that turn on Bolt's OAuth flow at /slack/install and /slack/oauth_redirect
 * with Lore's state store, installation store and pages. `clientOptions` points the installer's
 * oauth.v2.access and auth.test at SLACK_API_URL.
 */
export function oauthReceiverOptions(deps: {
  config: Config;
  kv: KeyValueStore;
  logger: Logger;
  clientOptions: NonNullable<NonNullable<ExpressReceiverOptions['installerOptions']>['clientOptions']>;
  installationStore: InstallationStore;
  stateTtlMs?: number;
}): Partial<ExpressReceiverOptions> {
  const { config, logger } = deps;
  const dashboardUrl = `${config.publicUrl}/app`;
  return {
    clientId: config.slack.clientId,
    clientSecret: config.slack.clientSecret,
    stateSecret: config.slack.stateSecret,
    scopes: [...BOT_SCOPES],
    redirectUri: `${config.publicUrl}/slack/oauth_redirect`,
    installationStore: deps.installationStore,
    installerOptions: {
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      directInstall: config.slack.directInstall,
      stateStore: createStateStore({ kv: deps.kv, secret: config.slack.stateSecret, ttlMs: deps.stateTtlMs }),
      renderHtmlForInstallPath: (url: string) => renderInstallPage({ authorizeUrl: url, scopes: BOT_SCOPES }),
      // A code works once: retrying oauth.v2.access after a network error could only fail, so don't.
      clientOptions: { ...deps.clientOptions, retryConfig: { retries: 0 } },
      callbackOptions: {
        success: (installation, _options, _req, res) => {
          const workspaceName =
            (installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ??
            'your workspace';
          const teamId = installation.team?.id;
          sendHtml(
            res,
            200,
            renderSuccessPage({
              workspaceName,
              isEnterpriseInstall: Boolean(installation.isEnterpriseInstall),
              dashboardUrl,
              slackUrl:
                teamId && installation.appId
                  ? `slack://app?team=${teamId}&id=${installation.appId}`
                  : undefined,
            }),
          );
        },
        failure: (error, _options, req, res) => {
          const failure = describeInstallFailure(error);
          const reference = String((req as Request).id ?? '');
          logger.warn(
            { code: failure.code, errorCode: error.code, requestId: reference },
            'slack install failed',
          );
          sendHtml(
            res,
            failure.status,
            renderFailurePage({ reason: failure.reason, retryUrl: '/slack/install', reference }),
          );
        },
      },
    },
  };
}

/**
 * Without Slack credentials, the install URLs explain how to configure the app (instead of a 404). With
 * them, an error starting the install (the state store unreachable, say) gets a page, not JSON.
 */
export function addInstallPageFallbacks(
  router: Router,
  opts: { oauthConfigured: boolean; logger: Logger },
): void {
  if (!opts.oauthConfigured) {
    router.get(['/slack/install', '/slack/oauth_redirect'], (_req, res) => {
      sendHtml(res, 503, renderNotConfiguredPage());
    });
    return;
  }
  const installError: ErrorRequestHandler = (err, req, res, _next) => {
    opts.logger.error(
      { errorCode: (err as { code?: string }).code, requestId: req.id },
      'install page failed',
    );
    sendHtml(
      res,
      503,
      renderFailurePage({
        reason: 'Lore could not start the install just now. Please try again in a minute.',
        retryUrl: '/slack/install',
        reference: String(req.id ?? ''),
      }),
    );
  };
  router.use('/slack/install', installError);
}
