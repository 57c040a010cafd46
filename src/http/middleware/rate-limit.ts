import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { rateLimited } from '../../errors.js';
import type { Metrics } from '../../infra/metrics.js';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';

/** One limit: at most `limit` requests per `windowMs` for each client `keyOf` tells apart. */
export interface RateRule {
  /** Stable and bounded (a metrics label and part of the Redis key): `sign_in`, `api_writes`, … */
  name: string;
  limit: number;
  windowMs: number;
  /** Who is counted: an address, a session or an API key; undefined lets the request through uncounted. */
  keyOf: (req: Request) => string | undefined;
  /** What the refused client reads, before "Try again in N seconds." */
  message: string;
}

export interface RateLimitDeps {
  kv: KeyValueStore;
  metrics?: Pick<Metrics, 'httpRateLimited'>;
  /** Kept apart per deployment sharing a Redis (QUEUE_NAME). */
  namespace: string;
}

// Hashed, so a session id or an API key never becomes a Redis key name that someone could read back.
const digest = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 32);

/**
 * Counts each request in a fixed window (the KeyValueStore's atomic increment: Redis Lua, or in memory on
 * embedded defaults) and refuses the one over the limit with 429, `Retry-After` and a JSON error naming it.
 */
export function rateLimit(deps: RateLimitDeps, rule: RateRule): RequestHandler {
  return async (req, res, next) => {
    const who = rule.keyOf(req);
    if (who === undefined) return next();
    const key = `httplimit:${deps.namespace}:${rule.name}:${digest(who)}`;
    const window = await deps.kv.incrementWindow(key, 1, rule.windowMs);
    if (window.count <= rule.limit) return next();
    const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAtMs - Date.now()) / 1000));
    deps.metrics?.httpRateLimited.inc({ limit: rule.name });
    res.setHeader('Retry-After', String(retryAfterSeconds));
    throw rateLimited(`${rule.message} Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
      limit: rule.limit,
    });
  };
}
