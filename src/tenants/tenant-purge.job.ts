import { appendAudit } from '../audit/audit.repo.js';
import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';

/** The job that deletes the data of tenants uninstalled longer ago than the grace period. */
export const TENANT_PURGE_JOB = 'tenant-purge';

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
  const { rows } = await deps.db.pool.query<{ id: string }>(
    `SELECT id FROM lore.tenants WHERE status = 'inactive' AND NOT is_demo AND deactivated_at < $1
     ORDER BY deactivated_at LIMIT 100`,
    [cutoff],
  );
  const purged: string[] = [];
  for (const { id } of rows) {
    const done = await withTransaction(deps.db, async (c) => {
      // Re-checked under a lock: a re-install between the list and here wins.
      const current = await c.query<{
        name: string;
        slack_team_id: string | null;
        slack_enterprise_id: string | null;
        deactivated_at: Date;
      }>(
        `SELECT name, slack_team_id, slack_enterprise_id, deactivated_at FROM lore.tenants
         WHERE id = $1 AND status = 'inactive' AND deactivated_at < $2 FOR UPDATE`,
        [id, cutoff],
      );
      const t = current.rows[0];
      if (!t) return false;
      await appendAudit(c, {
        tenantId: null,
        actor: 'system',
        action: 'tenant.purged',
        target: id,
        details: {
          name: t.name,
          slackTeamId: t.slack_team_id,
          slackEnterpriseId: t.slack_enterprise_id,
          deactivatedAt: t.deactivated_at.toISOString(),
          graceDays: deps.graceDays,
        },
      });
      await c.query('DELETE FROM lore.tenants WHERE id = $1', [id]);
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

/** The scheduled purge job handler. */
export function tenantPurgeJob(deps: PurgeDeps): JobHandler {
  return async () => {
    await purgeDeactivatedTenants(deps);
  };
}
