import { type FetchFunction, type RetryOptions, WebClient, WebClientEvent } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import { notInstalled } from '../errors.js';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';
import { methodOf, recordRateLimited } from './rate-limits.js';

/**
 * Every caller of the factory is a job with retries of its own (answers, welcome DMs, refreshes): a
 * Slack call that keeps failing should fail the attempt within seconds and leave the retry to the queue,
 * not wait out Slack's five-retries-in-five-minutes policy (which also holds a graceful shutdown).
 */
export const JOB_RETRY: RetryOptions = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 };

/**
 * Bolt's clients serve listeners, which run inside Slack's request (a trigger id lives 3 seconds, and the
 * reply is held until the listener ends): one quick retry, then the listener's own fallback (“press
 * again”). Slack's default policy would retry for up to 30 minutes, holding the reply and a shutdown.
 */
export const REQUEST_RETRY: RetryOptions = { retries: 1, minTimeout: 250, maxTimeout: 250 };

/** A tenant's current bot token (refreshed first when it was about to expire). */
export type ResolveBotToken = (tenantId: string) => Promise<{ token: string; teamId?: string } | null>;

/** `getClient(tenantId)`: a WebClient for jobs and other work outside a Slack request. */
export interface ClientFactory {
  getClient(tenantId: string): Promise<WebClient>;
  /** Forgets a tenant's client (its token changed or was revoked). */
  forget(tenantId: string): void;
}

/**
 * A bounded LRU pool of WebClients, one per tenant and token, all pointed at SLACK_API_URL. Slack's own
 * retry and rate-limit handling stays on (the client waits out Retry-After); each rate-limited call is
 * logged and counted.
 */
export function createClientFactory(deps: {
  resolveBotToken: ResolveBotToken;
  apiUrl: string;
  logger: Logger;
  metrics: Metrics;
  /** The fetch every client sends its calls through (default: the global fetch). */
  fetch?: FetchFunction;
  max?: number;
}): ClientFactory {
  const logger = deps.logger.child({ component: 'slack-clients' });
  const boltLogger = createBoltLogger(logger);
  const pool = new LRUCache<string, { token: string; client: WebClient }>({ max: deps.max ?? 500 });

  return {
    async getClient(tenantId) {
      const resolved = await deps.resolveBotToken(tenantId);
      if (!resolved) {
        pool.delete(tenantId);
        throw notInstalled('Lore is not installed in this workspace (or its token was revoked)');
      }
      const pooled = pool.get(tenantId);
      if (pooled?.token === resolved.token) return pooled.client;
      const client = new WebClient(resolved.token, {
        slackApiUrl: deps.apiUrl,
        logger: boltLogger,
        retryConfig: JOB_RETRY,
        rejectRateLimitedCalls: false,
        teamId: resolved.teamId,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, req: { url?: string }) => {
        recordRateLimited(
          { logger, metrics: deps.metrics },
          req?.url ? methodOf(req.url) : 'unknown',
          retryAfterSec,
          {
            tenantId,
          },
        );
      });
      pool.set(tenantId, { token: resolved.token, client });
      return client;
    },

    forget(tenantId) {
      pool.delete(tenantId);
    },
  };
}
