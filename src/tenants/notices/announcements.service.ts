import { appendAudit } from '../../audit/audit.repo.js';
import type { CreateAnnouncementInput } from '../../contracts/announcements.contract.js';
import { badRequest, notFound } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant, withTransaction } from '../../infra/db/transaction.js';
import { enqueueJob } from '../../infra/queue/job-definition.js';
import type { JobQueue } from '../../infra/queue/job-queue.js';
import { listPlans } from '../plans.repo.js';
import { existingTenantIds } from '../tenants.repo.js';
import { announcementDmJob } from './announcement-dm.job.js';
import {
  type Announcement,
  endAnnouncement,
  insertAnnouncement,
  listAnnouncements,
  liveAnnouncementsForTenant,
} from './announcements.repo.js';

/**
 * Creates an announcement after checking its audience names a real plan or real workspaces (a typo must
 * not silently reach nobody), and audits it platform-wide.
 */
export async function createAnnouncement(
  deps: { db: Database; queue: Pick<JobQueue, 'enqueue'> },
  input: CreateAnnouncementInput,
  actor: string,
): Promise<Announcement> {
  const created = await withTransaction(deps.db, async (c) => {
    const { audience } = input;
    if (audience.kind === 'plan' && !(await listPlans(c)).some((p) => p.id === audience.planId)) {
      throw badRequest(`There is no plan "${audience.planId}"`, [
        { field: 'audience.planId', message: 'unknown plan' },
      ]);
    }
    if (audience.kind === 'tenants') {
      const found = new Set(await existingTenantIds(c, audience.tenantIds));
      const missing = audience.tenantIds.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw badRequest(`No such workspace: ${missing.join(', ')}`, [
          { field: 'audience.tenantIds', message: 'unknown workspace' },
        ]);
      }
    }
    const created = await insertAnnouncement(c, {
      level: input.level,
      body: input.text,
      audience:
        audience.kind === 'tenants'
          ? { kind: 'tenants', tenantIds: [...new Set(audience.tenantIds)] }
          : audience,
      startsAt: input.startsAt ?? new Date(),
      endsAt: input.endsAt,
      createdBy: actor,
    });
    await appendAudit(c, {
      tenantId: null,
      actor,
      action: 'announcement.created',
      target: created.id,
      details: {
        level: created.level,
        audience: created.audience.kind,
        startsAt: created.startsAt.toISOString(),
        endsAt: created.endsAt.toISOString(),
        dmAdmins: input.dmAdmins,
      },
    });
    return created;
  });
  // After the commit, so the job always finds the announcement; keyed by it, so it is queued once.
  if (input.dmAdmins) {
    await enqueueJob(deps.queue, announcementDmJob, { v: 1, announcementId: created.id });
  }
  return created;
}

/** Ends a showing or scheduled announcement now (audited); 404 when there is none to end. */
export async function endAnnouncementNow(db: Database, id: string, actor: string): Promise<Announcement> {
  return withTransaction(db, async (c) => {
    const ended = await endAnnouncement(c, id);
    if (!ended) throw notFound('Announcement that is still showing or scheduled');
    await appendAudit(c, { tenantId: null, actor, action: 'announcement.ended', target: id });
    return ended;
  });
}

export const announcementsForOperator = (db: Database, liveOnly = false) =>
  listAnnouncements(db.pool, { liveOnly });

/** What one workspace is shown now (RLS: only announcements addressed to it). */
export const liveAnnouncementsFor = (db: Database, tenantId: string, now: Date) =>
  withTenant(db, tenantId, (c) => liveAnnouncementsForTenant(c, now));
