import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type Express, type Request, type RequestHandler, type Response, Router } from 'express';
import type { Metrics } from '../infra/metrics.js';
import type { Logger } from '../logger.js';
import { errorHandler } from './middleware/error-handler.js';

/** An acknowledgement slower than this is logged even when it succeeded (Slack gives up after 3 s). */
export const SLOW_ACK_MS = 1_000;

/** A webhook's handlers, for the server's request listener (`webhooksFirst`) and for Express. */
export interface Webhook {
  /** The path it answers (POST). */
  path: string;
  /** Every handler, the timing one first. */
  handlers: RequestHandler[];
  /** The same handlers as a router: what Express routes to the path in another form (a trailing slash). */
  router: Router;
  /** Where an error a handler passes on ends when `webhooksFirst` ran them: logged, then the app's answer. */
  fail: (err: unknown, req: Request, res: Response) => void;
}

/**
 * A machine-to-machine webhook (Slack's Events API) that skips the browser stack. Slack's servers read no
 * security headers and the success path is the hot path of the whole product, so it skips helmet and the
 * per-request access log line (pino-http's child logger and redaction cost about as much as Bolt's own work;
 * see BENCHMARKS.md "event-ack"). What an operator needs stays: the request duration histogram for every
 * delivery, and a log line for each refused, failed or slow one.
 */
export function webhookIngress(
  deps: { logger: Logger; metrics: Metrics },
  path: string,
  ...handlers: RequestHandler[]
): Webhook {
  const log = deps.logger.child({ component: 'webhook' });
  const timed: RequestHandler = (_req, res, next) => {
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
  };
  const all = [timed, ...handlers];
  const router = Router();
  router.post(path, ...all);
  const fail: Webhook['fail'] = (err, req, res) => {
    log.error({ err, path }, 'webhook handler failed');
    errorHandler(err, req, res, () => undefined);
  };
  return { path, handlers: all, router, fail };
}

/**
 * The server's request listener: a POST to a webhook's exact path (query aside) runs its handlers directly,
 * everything else goes to `app`. Express's own dispatch (its router, the mounted webhook router, their path
 * matching) was 8% of the web process's busy time per Slack acknowledgement (BENCHMARKS.md, event-ack,
 * seventh pass); the handlers get the same request and response objects Express would give them (its
 * prototypes, `req.res`), and an error any of them passes on reaches the app's error handler as in Express.
 */
export function webhooksFirst(app: Express, webhooks: Webhook[]): RequestListener {
  const byPath = new Map(webhooks.map((w) => [w.path, w]));
  return (req, res) => {
    const url = req.url ?? '';
    const end = url.indexOf('?');
    const webhook = req.method === 'POST' ? byPath.get(end < 0 ? url : url.slice(0, end)) : undefined;
    if (!webhook) {
      app(req, res);
      return;
    }
    run(webhook, asExpress(app, req, res));
  };
}

/** What `app.handle` does to a request before its router runs (x-powered-by is off in createHttpApp). */
function asExpress(app: Express, req: IncomingMessage, res: ServerResponse): [Request, Response] {
  const request = Object.setPrototypeOf(req, app.request) as Request;
  const response = Object.setPrototypeOf(res, app.response) as Response;
  request.res = response;
  response.req = request;
  response.locals ??= Object.create(null);
  return [request, response];
}

/** Runs the handlers in order, each one's `next` starting the following; an error ends in `fail`. */
function run({ handlers, fail }: Webhook, [req, res]: [Request, Response]): void {
  let i = 0;
  const next = (err?: unknown): void => {
    const handler = handlers[i++];
    if (err !== undefined || !handler) {
      // Every chain ends in a handler that answers; one that passes past the last is a bug, answered 500.
      fail(err ?? new Error('no webhook handler answered'), req, res);
      return;
    }
    try {
      const result: unknown = handler(req, res, next);
      // Express 5 passes a rejected promise's reason to next, as here.
      if (result instanceof Promise) result.catch(next);
    } catch (thrown) {
      next(thrown);
    }
  };
  next();
}
