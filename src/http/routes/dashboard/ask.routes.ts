import express, { Router } from 'express';
import { type AskResultDto, askBody } from '../../../contracts/ask.contract.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseInput } from '../../middleware/validate.js';

/** The answer pipeline as the playground calls it: the same one Slack uses, metered the same way. */
export type AskFn = (tenantId: string, question: string, actor: string) => Promise<AskResultDto>;

/** `POST /api/ask`: the Ask playground. */
export function askRoutes(deps: { ask: AskFn }): Router {
  const router = Router();
  router.post('/ask', express.json({ limit: '16kb' }), async (req, res) => {
    const auth = authOf(req);
    const { question } = parseInput(askBody, req.body ?? {});
    const result = await deps.ask(auth.tenantId, question, auth.actor);
    res.set('Cache-Control', 'no-store').json(result);
  });
  return router;
}
