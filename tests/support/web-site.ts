import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A small web site on loopback for the web-source tests: routes can be changed while it runs, and every
 * request is logged with its conditional headers so a test can see what Lore asked for.
 */
export async function startWebSite(routes: Record<string, Route> = {}) {
  const log: Array<{ path: string; ifNoneMatch?: string; ifModifiedSince?: string; userAgent?: string }> = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    log.push({
      path,
      ifNoneMatch: req.headers['if-none-match'],
      ifModifiedSince: req.headers['if-modified-since'],
      userAgent: req.headers['user-agent'],
    });
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    route(req, res);
  });
  // A client that gives up mid-body (Lore's time or size limit) resets the connection: expected, not a failure.
  server.on('connection', (socket) => socket.on('error', () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    routes,
    log,
    hits: (path: string) => log.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTML page with navigation around its main content (the parser keeps only the article). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html><head><title>${title}</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a> Site navigation menu</nav>
<main><article><h1>${title}</h1>${body
    .split('\n\n')
    .map((p) => `<p>${p}</p>`)
    .join('')}</article></main>
<footer>Copyright footer text</footer></body></html>`;
}

export const html =
  (body: string | (() => string), headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(typeof body === 'function' ? body() : body);
  };
