import { Router } from 'express';

/** A named dependency check for /readyz; it throws (or times out) when the dependency is not ready. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export const CHECK_TIMEOUT_MS = 3_000;

export function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `/healthz`: the process is up. `/readyz`: every dependency answers (DB, Redis, queue, migrations). */
export function healthRoutes(checks: ReadinessCheck[], isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: {} });
      return;
    }
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (err) {
          req.log?.warn({ check: name, err }, 'readiness check failed');
          return [name, 'failing'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
  return router;
}
