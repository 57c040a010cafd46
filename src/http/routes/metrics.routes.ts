import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { forbidden, unauthorized } from '../../errors.js';
import type { Metrics } from '../../infra/metrics.js';
import { fromLoopback } from '../middleware/local-only.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `/metrics` in Prometheus text format. It tells an outsider how busy Lore is and what fails, so it is not
 * public: with METRICS_TOKEN it needs `Authorization: Bearer <token>`; without, it answers loopback only.
 */
export function metricsRoutes(metrics: Metrics, opts: { token?: string } = {}): Router {
  const router = Router();
  const expected = opts.token ? digest(opts.token) : undefined;
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      // Digests keep the comparison constant-time whatever the given token's length.
      if (!timingSafeEqual(digest(given), expected))
        throw unauthorized('Metrics need Authorization: Bearer <METRICS_TOKEN>');
    } else if (!fromLoopback(req)) {
      throw forbidden('Metrics are served to loopback only; set METRICS_TOKEN to scrape from elsewhere');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
