import { type RetryOptions, WebClient, WebClientEvent } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { Metrics } from '../../infra/metrics.js';
import type { Logger } from '../../logger.js';
import { createBoltLogger } from '../bolt-logger.js';
import type { ClientFactory } from '../client-factory.js';
import { methodOf, recordRateLimited } from '../rate-limits.js';

/**
 * Someone is waiting for the answer: a Slack call that keeps failing should fail the attempt within a
 * second or two and leave the retry to the answer job (three attempts with backoff, then the apology),
 * not wait out the pool's five-retries-in-five-minutes policy.
 */
export const ANSWER_RETRY: RetryOptions = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2_000 };

/**
 * WebClients for the answer job: the same token, SLACK_API_URL, team and rate-limit accounting as the
 * client factory's (which resolves and refreshes the token), with the short retry policy above. Cached
 * per token, bounded.
 */
export function createAnswerClients(deps: {
  clients: Pick<ClientFactory, 'getClient'>;
  apiUrl: string;
  logger: Logger;
  metrics: Metrics;
  max?: number;
}): Pick<ClientFactory, 'getClient'> {
  const logger = deps.logger.child({ component: 'slack-answer-clients' });
  const boltLogger = createBoltLogger(logger);
  const pool = new LRUCache<string, WebClient>({ max: deps.max ?? 500 });
  return {
    async getClient(tenantId) {
      const base = await deps.clients.getClient(tenantId);
      const token = base.token ?? '';
      const key = `${tenantId}:${token}`;
      const pooled = pool.get(key);
      if (pooled) return pooled;
      const client = new WebClient(token, {
        slackApiUrl: deps.apiUrl,
        logger: boltLogger,
        retryConfig: ANSWER_RETRY,
        rejectRateLimitedCalls: false,
        teamId: (base as unknown as { teamId?: string }).teamId,
      });
      client.on(WebClientEvent.RATE_LIMITED, (retryAfterSec: number, req: { url?: string }) =>
        recordRateLimited(
          { logger, metrics: deps.metrics },
          req?.url ? methodOf(req.url) : 'unknown',
          retryAfterSec,
          { tenantId },
        ),
      );
      pool.set(key, client);
      return client;
    },
  };
}
