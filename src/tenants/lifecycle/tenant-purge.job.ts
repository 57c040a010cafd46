import { z } from 'zod';
import { appendAudit } from '../../audit/audit.repo.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { defineJob } from '../../infra/queue/job-definition.js';
import type { Logger } from '../../logger.js';
import { deleteTenant, listPurgeableTenantIds, lockPurgeableTenant } from '../tenants.repo.js';

export interface PurgeDeps {
  db: Database;
  logger: Logger;
  graceDays: number;
  /** Deletes a tenant's stored files (originals in blob storage), wired by main. */
  purgeFiles?: (tenantId: string) => Promise<void>;
}

/**
 * Deletes every tenant that has been inactive (uninstalled or fully revoked) for longer than the grace
 * period: its rows go with it (foreign keys cascade), the audit log keeps a platform entry naming it.
 * A tenant re-installed meanwhile is active again and untouched. Returns the purged tenant ids.
 */
export async function purgeDeactivatedTenants(deps: PurgeDeps, now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - deps.graceDays * 86_400_000);
  const ids = await listPurgeableTenantIds(deps.db.pool, cutoff);
  const purged: string[] = [];
  for (const id of ids) {
    const done = await withTransaction(deps.db, async (c) => {
      // Re-checked under a lock: a re-install between the list and here wins.
      const t = await lockPurgeableTenant(c, id, cutoff);
      if (!t) return false;
      await appendAudit(c, {
        tenantId: null,
        actor: 'system',
        action: 'tenant.purged',
        target: id,
        details: {
          name: t.name,
          slackTeamId: t.slackTeamId,
          slackEnterpriseId: t.slackEnterpriseId,
          deactivatedAt: t.deactivatedAt.toISOString(),
          graceDays: deps.graceDays,
        },
      });
      await deleteTenant(c, id);
      return true;
    });
    if (!done) continue;
    await deps
      .purgeFiles?.(id)
      .catch((err: unknown) => deps.logger.error({ err, tenantId: id }, 'purging stored files failed'));
    deps.logger.info({ tenantId: id }, 'purged a deactivated tenant');
    purged.push(id);
  }
  return purged;
}

/** The scheduled job that deletes the data of tenants uninstalled longer ago than the grace period. */
export const tenantPurgeJob = defineJob({
  name: 'tenant-purge',
  schema: z.object({ v: z.literal(1) }),
  handler:
    (
      deps: Omit<PurgeDeps, 'graceDays' | 'purgeFiles'> & {
        purge: Pick<PurgeDeps, 'graceDays' | 'purgeFiles'>;
      },
    ) =>
    async () => {
      await purgeDeactivatedTenants({ ...deps, ...deps.purge });
    },
});
