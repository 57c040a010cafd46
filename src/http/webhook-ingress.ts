import { type RequestHandler, Router } from 'express';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';

/** An acknowledgement slower than this is logged even when it succeeded (Slack gives up after 3 s). */
export const SLOW_ACK_MS = 1_000;

/**
 * A machine-to-machine webhook (Slack's Events API) mounted ahead of the browser stack. Slack's servers
 * read no security headers and the success path is the hot path of the whole product, so it skips
 * helmet and the per-request access log line (pino-http's child logger and redaction cost about as much
 * as Bolt's own work; see BENCHMARKS.md "event-ack"). What an operator needs stays: the request duration
 * histogram for every delivery, and a log line for each refused, failed or slow one.
 */
export function webhookIngress(
  deps: { logger: Logger; metrics: Metrics },
  path: string,
  ...handlers: RequestHandler[]
): Router {
  const log = deps.logger.child({ component: 'webhook' });
  const router = Router();
  router.post(
    path,
    (_req, res, next) => {
      const started = performance.now();
      res.on('finish', () => {
        const ms = performance.now() - started;
        const status = res.statusCode;
        deps.metrics.httpDuration.observe({ method: 'POST', route: path, status: String(status) }, ms / 1000);
        const line = { path, status, ms: Math.round(ms) };
        if (status >= 500) log.error(line, 'webhook delivery failed');
        else if (status >= 400) log.warn(line, 'webhook delivery refused');
        else if (ms >= SLOW_ACK_MS) log.warn(line, 'slow webhook acknowledgement');
      });
      next();
    },
    ...handlers,
  );
  return router;
}
