import { z } from 'zod';
import type { Database } from '../infra/db/database.js';
import { withTenant } from '../infra/db/transaction.js';
import type { JobHandler } from '../infra/queue/job-queue.js';
import type { Logger } from '../logger.js';

const payload = z.object({
  v: z.literal(1),
  tenantId: z.uuid(),
  userId: z.string().min(1),
  requestId: z.string().optional(),
});

/** Sends the welcome DM (provided by the Slack layer: it owns the client and the message). */
export type SendWelcome = (msg: { tenantId: string; userId: string }) => Promise<void>;

/**
 * The `welcome` job: DMs the installer once per tenant. `welcomed_at` is set after the message is sent, so
 * a failed send is retried, and a re-install of a welcomed tenant (or a duplicate job) sends nothing.
 */
export function welcomeJob(deps: { db: Database; logger: Logger; sendWelcome: SendWelcome }): JobHandler {
  return async (raw) => {
    const { tenantId, userId } = payload.parse(raw);
    const tenant = await withTenant(deps.db, tenantId, async (c) => {
      const { rows } = await c.query<{ status: string; welcomed_at: Date | null }>(
        'SELECT status, welcomed_at FROM lore.tenants WHERE id = $1',
        [tenantId],
      );
      return rows[0];
    });
    if (!tenant || tenant.welcomed_at || tenant.status !== 'active') {
      deps.logger.info(
        {
          tenantId,
          skipped: tenant ? (tenant.welcomed_at ? 'already welcomed' : tenant.status) : 'no tenant',
        },
        'welcome skipped',
      );
      return;
    }
    await deps.sendWelcome({ tenantId, userId });
    await withTenant(deps.db, tenantId, (c) =>
      c.query('UPDATE lore.tenants SET welcomed_at = now() WHERE id = $1 AND welcomed_at IS NULL', [
        tenantId,
      ]),
    );
    deps.logger.info({ tenantId }, 'installer welcomed');
  };
}
