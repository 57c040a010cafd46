import express, { Router } from 'express';
import { type AskResultDto, askBody } from '../../../contracts/ask.contract.js';
import { limitExceeded, rateLimited } from '../../../errors.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';

/** Who asked: an admin in the dashboard playground, or an integration with an API key. */
export type AskSurface = 'playground' | 'api';

/** The answer pipeline as the playground and API keys call it: the same one Slack uses, metered the same way. */
export type AskFn = (
  tenantId: string,
  question: string,
  actor: string,
  surface: AskSurface,
) => Promise<AskResultDto>;

/**
 * `POST /api/ask`: the Ask playground (a session), and integrations (an API key with the `ask` scope). The
 * playground shows a refused question as its outcome; a program gets what HTTP clients act on: 429 with
 * `Retry-After` (until the per-person or workspace rate window, or the monthly quota, resets) and the message.
 */
export function askRoutes(deps: { ask: AskFn }): Router {
  const router = Router();
  router.post('/ask', express.json({ limit: '16kb' }), async (req, res) => {
    const auth = authOf(req);
    const { question } = parseInput(askBody, req.body ?? {});
    const surface: AskSurface = auth.via === 'api_key' ? 'api' : 'playground';
    const result = await deps.ask(auth.tenantId, question, auth.actor, surface);
    if (surface === 'api' && (result.outcome === 'rate_limited' || result.outcome === 'over_quota')) {
      const retryAt = result.retryAt ? Date.parse(result.retryAt) : Date.now() + 60_000;
      const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
      res.setHeader('Retry-After', String(retryAfterSeconds));
      throw result.outcome === 'over_quota'
        ? limitExceeded(result.text, { retryAfterSeconds })
        : rateLimited(result.text, { retryAfterSeconds });
    }
    res.set('Cache-Control', 'no-store').json(result);
  });
  return router;
}
