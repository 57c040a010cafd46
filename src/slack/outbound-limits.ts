import { createHash } from 'node:crypto';
import type { FetchFunction } from '@slack/web-api';
import type { KeyValueStore, RateSpec } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import { perMinuteOf } from './method-tiers.js';
import { methodOf } from './rate-limits.js';
import { bearerOf } from './token-watch.js';

/**
 * The longest a call waits for its workspace's budget before it is handed back to the SDK as a 429. Jobs
 * run a few per tenant at a time, so a wait this long only ever holds that tenant's own slots.
 */
export const MAX_WAIT_MS = 30_000;

/** At most `count` calls in any `windowMs`. */
export interface CallLimit {
  count: number;
  windowMs: number;
}

/** Slack's tier for a method, per minute (method-tiers.ts), or null when unlimited. */
export const slackTierLimit = (method: string): CallLimit | null => {
  const perMinute = perMinuteOf(method);
  return perMinute === null ? null : { count: perMinute, windowMs: 60_000 };
};

/**
 * The budget of one method for one workspace: a burst of a sixth of the window's calls, then an even pace,
 * so that any window holds at most the limit's count (burst + pace × window = count).
 */
export function rateOf(limit: CallLimit, maxWaitMs = MAX_WAIT_MS): RateSpec {
  const burst = Math.max(1, Math.ceil(limit.count / 6));
  const paced = Math.max(1, limit.count - burst);
  return { intervalMs: limit.windowMs / paced, burst, maxWaitMs };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fetch that keeps each workspace within Slack's per-method tiers before Slack has to say 429: every
 * call with a bot token reserves its place in a Redis budget keyed by the token's hash (one per workspace
 * and app, so every web and worker process shares it) and the method, and waits its turn. A call whose
 * turn is more than `maxWaitMs` away is answered here with a 429 and a Retry-After, which the Slack SDK
 * treats like Slack's own. Redis failing lets the call through: limits must not take Slack down.
 */
export function createOutboundLimiter(deps: {
  kv: KeyValueStore;
  logger: Logger;
  maxWaitMs?: number;
  /** The limit per method (default: Slack's tiers); tests scale it down to seconds. */
  limitOf?: (method: string) => CallLimit | null;
}) {
  const logger = deps.logger.child({ component: 'slack-outbound-limits' });
  const maxWaitMs = deps.maxWaitMs ?? MAX_WAIT_MS;
  const limitOf = deps.limitOf ?? slackTierLimit;

  async function waitFor(url: string | URL, token: string): Promise<number> {
    const method = methodOf(url);
    const limit = limitOf(method);
    if (limit === null) return 0;
    const workspace = createHash('sha256').update(token).digest('base64url').slice(0, 22);
    try {
      return await deps.kv.reserveRate(`slack-rate:${workspace}:${method}`, rateOf(limit, maxWaitMs));
    } catch (err) {
      logger.warn({ err, method }, 'slack rate budget unavailable; call sent unthrottled');
      return 0;
    }
  }

  return {
    wrap(inner: FetchFunction): FetchFunction {
      return async (url, init) => {
        const token = bearerOf(init?.headers);
        if (token) {
          const wait = await waitFor(url, token);
          if (wait < 0) {
            logger.warn({ method: methodOf(url) }, 'workspace over its Slack budget; call deferred');
            return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
              status: 429,
              headers: { 'content-type': 'application/json', 'retry-after': String(maxWaitMs / 1000) },
            });
          }
          if (wait > 0) await sleep(wait);
        }
        return inner(url, init);
      };
    },
  };
}
