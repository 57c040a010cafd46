import type { FetchFunction } from '@slack/web-api';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';

/** The Web API method of a Slack API URL (`.../api/chat.postMessage` → `chat.postMessage`). */
export function methodOf(url: string | URL): string {
  const path = new URL(String(url)).pathname;
  return path.slice(path.lastIndexOf('/') + 1) || 'unknown';
}

/** Logs and counts one rate-limited call (method and wait only: never the request body, which has the token). */
export function recordRateLimited(
  deps: { logger: Logger; metrics: Metrics },
  method: string,
  retryAfterSec: number | undefined,
  extra: Record<string, unknown> = {},
): void {
  deps.metrics.slackRateLimited.inc({ method });
  deps.logger.warn(
    { ...extra, method, retryAfterSec },
    'slack rate limited the call; the client waits and retries',
  );
}

/**
 * A fetch for WebClients Lore cannot attach listeners to (Bolt creates its own per request): every 429
 * Slack answers is logged and counted before the SDK waits out Retry-After and retries.
 */
export function createObservedFetch(deps: { logger: Logger; metrics: Metrics }): FetchFunction {
  return async (url, init) => {
    // Looked up per call, so whatever fetch is installed at the time (nock in tests) is used.
    const res = await globalThis.fetch(url, init as RequestInit);
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      recordRateLimited(deps, methodOf(url), Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    return res;
  };
}
