import express, { Router } from 'express';
import { listConversations } from '../../../ai/conversation-history.service.js';
import {
  type ConversationDto,
  conversationsQuery,
  type GapDto,
  gapIdParams,
  gapsQuery,
  updateGapBody,
} from '../../../contracts/conversations.contract.js';
import type { Database } from '../../../infra/db/database.js';
import { listKnowledgeGaps, updateKnowledgeGap } from '../../../knowledge/knowledge-gaps.service.js';
import { authOf } from '../../middleware/tenant-auth.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { pageWindow, sendPage } from '../../paging.js';
import { wire } from '../../wire.js';

/** `/api/conversations` (recent questions and answers) and `/api/gaps` (the knowledge-gap inbox). */
export function conversationsRoutes(deps: { db: Database }): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });

  router.get('/conversations', async (req, res) => {
    const q = parseInput(conversationsQuery, req.query);
    const page = await listConversations(deps.db, authOf(req).tenantId, {
      search: q.search,
      outcome: q.outcome,
      feedback: q.feedback,
      ...pageWindow(q),
    });
    sendPage(res, q, { items: wire(page.items) satisfies ConversationDto[], total: page.total });
  });

  router.get('/gaps', async (req, res) => {
    const q = parseInput(gapsQuery, req.query);
    const page = await listKnowledgeGaps(deps.db, authOf(req).tenantId, {
      status: q.status,
      ...pageWindow(q),
    });
    sendPage(res, q, { items: wire(page.items) satisfies GapDto[], total: page.total });
  });

  router.patch('/gaps/:id', json, async (req, res) => {
    const auth = authOf(req);
    const { id } = parseIds(gapIdParams, req.params, 'Knowledge gap');
    const body = parseInput(updateGapBody, req.body ?? {});
    await updateKnowledgeGap(deps.db, auth.tenantId, {
      id,
      status: body.status,
      documentId: body.documentId,
      actor: auth.actor,
    });
    res.status(204).end();
  });

  return router;
}
