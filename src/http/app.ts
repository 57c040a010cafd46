import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { requestIdFor } from './middleware/request-id.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.routes.js';
import { metricsRoutes } from './routes/metrics.routes.js';
import type { Webhook } from './webhook-ingress.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: ReadinessCheck[];
  isShuttingDown: () => boolean;
  /** METRICS_TOKEN: /metrics needs it as a bearer token; unset, /metrics answers loopback only. */
  metricsToken?: string;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For names the client; false by default. */
  trustProxy?: boolean | number | string;
  /**
   * Webhooks, mounted before the browser stack (no helmet, no access log line; see webhook-ingress.ts); the
   * server's listener (`webhooksFirst`) runs them without Express's dispatch, this catches other forms of the path.
   */
  ingress?: Webhook[];
  /** Routers mounted after the built-in ones (Slack, API, admin, dashboard), in order. */
  routers?: Router[];
}

// Probes and scrapes would drown the request log.
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Builds the Express app (it never listens: the caller owns the server and its shutdown). */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  for (const webhook of deps.ingress ?? []) app.use(webhook.router);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = requestIdFor(req);
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url?.split('?')[0] ?? '') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      // Method and path only: headers and query strings can carry tokens, cookies and OAuth codes.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          // Slack's button images, and workspace icons in the dashboard's workspace menu.
          'img-src': [
            "'self'",
            'data:',
            'https://platform.slack-edge.com',
            'https://a.slack-edge.com',
            'https://avatars.slack-edge.com',
          ],
          'connect-src': ["'self'"],
          'form-action': ["'self'", 'https://slack.com'],
        },
      },
    }),
  );
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      // The route pattern, never the raw URL: raw paths would carry ids and explode label cardinality.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      end({ route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(healthRoutes(deps.readiness, deps.isShuttingDown));
  app.use(metricsRoutes(deps.metrics, { token: deps.metricsToken }));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
