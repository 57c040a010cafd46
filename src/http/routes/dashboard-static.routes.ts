import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lore dashboard</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1>The dashboard is not built</h1><p>Run <code>npm run build --workspace dashboard</code> (or <code>npm start</code>,
which builds it when it is missing) and reload.</p></body></html>`;

/**
 * Serves the built dashboard (dashboard/dist) at /app: hashed assets cached for a year, every other /app
 * path answered with index.html (the single-page app routes itself), and `/` redirected to /app.
 */
export function dashboardStaticRoutes(opts: { distDir: string }): Router {
  const router = Router();
  const index = path.join(opts.distDir, 'index.html');

  router.get('/', (_req, res) => res.redirect(302, '/app'));
  router.use(
    '/app/assets',
    express.static(path.join(opts.distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  router.use('/app', express.static(opts.distDir, { index: false, maxAge: '1h' }));
  router.get('/app{/*rest}', (req, res, next) => {
    // A missing asset is a 404, not the app's HTML (a browser would try to run HTML as a script).
    if (req.path.startsWith('/app/assets/')) return next();
    if (!existsSync(index)) {
      res.status(503).type('html').set('Cache-Control', 'no-store').send(NOT_BUILT);
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
