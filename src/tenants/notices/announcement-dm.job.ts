import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { defineJob, enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import type { Logger } from '../../logger.js';
import { activeTenantIdsFor } from '../tenants.repo.js';
import { adminDmJob } from './admin-dm.job.js';
import type { AdminRecipients } from './admin-recipients.service.js';
import { markdownToMrkdwn } from './announcement-text.js';
import { findAnnouncement } from './announcements.repo.js';

/**
 * The `announcement-dm` job (a maintenance announcement the operator chose to DM): one `admin-dm` job per
 * admin of every active workspace it addresses, keyed by announcement, workspace and person, so a retry
 * DMs nobody twice. An announcement ended before the job ran sends nothing. Keyed by the announcement, so it
 * is queued once.
 */
export const announcementDmJob = defineJob({
  name: 'announcement-dm',
  schema: z.object({ v: z.literal(1), announcementId: z.uuid() }),
  jobId: (p) => `announcement-dm-${p.announcementId}`,
  handler:
    (deps: {
      db: Database;
      queue: Pick<JobQueue, 'enqueue'>;
      recipientsOf: AdminRecipients;
      logger: Logger;
    }) =>
    async ({ announcementId }) => {
      const a = await findAnnouncement(deps.db.pool, announcementId);
      if (!a || a.endedAt || a.endsAt.getTime() <= Date.now()) {
        deps.logger.info({ announcementId }, 'announcement DMs skipped: it has ended');
        return;
      }
      const text = `:construction: *Planned maintenance*\n${markdownToMrkdwn(a.body)}`;
      let sent = 0;
      for (const tenantId of await activeTenantIdsFor(deps.db.pool, a.audience)) {
        for (const userId of await deps.recipientsOf(tenantId)) {
          await enqueueJob(
            deps.queue,
            adminDmJob,
            { v: 1, tenantId, userId, text },
            { jobId: `announcement-dm-${a.id}-${tenantId}-${userId}` },
          );
          sent += 1;
        }
      }
      deps.logger.info({ announcementId, dms: sent }, 'announcement DMs queued');
    },
});
