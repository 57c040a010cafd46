import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { defineJob } from '../../infra/queue/job-definition.js';
import type { Logger } from '../../logger.js';
import { markWelcomed, welcomeStateOf } from '../tenants.repo.js';

/** Sends the welcome DM (provided by the Slack layer: it owns the client and the message). */
export type SendWelcome = (msg: { tenantId: string; userId: string }) => Promise<void>;

/**
 * The `welcome` job: DMs the installer once per tenant. `welcomed_at` is set after the message is sent, so
 * a failed send is retried, and a re-install of a welcomed tenant (or a duplicate job) sends nothing. Keyed
 * by tenant, so it is queued once.
 */
export const welcomeJob = defineJob({
  name: 'welcome',
  schema: z.object({
    v: z.literal(1),
    tenantId: z.uuid(),
    userId: z.string().min(1),
    requestId: z.string().optional(),
  }),
  jobId: (p) => `welcome-${p.tenantId}`,
  handler:
    (deps: { db: Database; logger: Logger; sendWelcome: SendWelcome }) =>
    async ({ tenantId, userId }) => {
      const tenant = await withTenant(deps.db, tenantId, (c) => welcomeStateOf(c, tenantId));
      if (!tenant || tenant.welcomedAt || tenant.status !== 'active') {
        deps.logger.info(
          {
            tenantId,
            skipped: tenant ? (tenant.welcomedAt ? 'already welcomed' : tenant.status) : 'no tenant',
          },
          'welcome skipped',
        );
        return;
      }
      await deps.sendWelcome({ tenantId, userId });
      await withTenant(deps.db, tenantId, (c) => markWelcomed(c, tenantId));
      deps.logger.info({ tenantId }, 'installer welcomed');
    },
});
