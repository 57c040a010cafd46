import express, { Router } from 'express';
import {
  type AnnouncementDto,
  announcementIdParams,
  createAnnouncementBody,
} from '../../../contracts/announcements.contract.js';
import type { Database } from '../../../infra/db/database.js';
import type { JobQueue } from '../../../infra/queue/job-queue.js';
import type { Announcement } from '../../../tenants/notices/announcements.repo.js';
import {
  announcementsForOperator,
  createAnnouncement,
  endAnnouncementNow,
} from '../../../tenants/notices/announcements.service.js';
import { parseIds, parseInput } from '../../middleware/validate.js';
import { wire } from '../../wire.js';

const operatorOf = (req: Express.Request) => `operator:${req.dashboardSession?.slackUserId ?? 'unknown'}`;

const toDto = (a: Announcement): AnnouncementDto => {
  const { body, ...rest } = wire(a);
  return { ...rest, text: body };
};

/** `/api/platform/announcements`: operators compose, list and end announcements (mounted behind requirePlatformAdmin). */
export function announcementsRoutes(deps: { db: Database; queue: Pick<JobQueue, 'enqueue'> }): Router {
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/announcements', async (_req, res) => {
    res.json({ items: (await announcementsForOperator(deps.db)).map(toDto) });
  });

  router.post('/announcements', json, async (req, res) => {
    const input = parseInput(createAnnouncementBody, req.body ?? {});
    res.status(201).json(toDto(await createAnnouncement(deps, input, operatorOf(req))));
  });

  router.post('/announcements/:id/end', async (req, res) => {
    const { id } = parseIds(announcementIdParams, req.params, 'Announcement');
    res.json(toDto(await endAnnouncementNow(deps.db, id, operatorOf(req))));
  });

  return router;
}
