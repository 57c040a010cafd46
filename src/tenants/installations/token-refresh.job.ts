import { z } from 'zod';
import type { Database } from '../../infra/db/database.js';
import { defineJob } from '../../infra/queue/job-definition.js';
import type { Logger } from '../../logger.js';
import { listExpiringInstallations } from './installations.repo.js';

/** Bolt (@slack/oauth) refreshes a rotated token once it expires within two hours; the refresher uses the same window. */
export const TOKEN_REFRESH_WINDOW_MS = 2 * 60 * 60_000;

export interface TokenRefreshDeps {
  db: Database;
  logger: Logger;
  /** Refreshes one tenant's tokens through Slack (the Slack layer, under its per-installation lock). */
  refreshTenant: (tenantId: string) => Promise<boolean>;
  /** Renew tokens that expire within this window (Bolt refreshes within two hours of expiry). */
  windowMs: number;
}

/**
 * Busy tenants get their rotated tokens refreshed by incoming events; quiet ones would wake to a dead
 * token when a proactive message (a job) needs it. This finds active tenants whose bot token expires within
 * the window and refreshes each; one failure does not stop the others. Returns how many were refreshed.
 */
export async function refreshExpiringTokens(deps: TokenRefreshDeps, now = new Date()): Promise<number> {
  const expiring = await listExpiringInstallations(deps.db.pool, new Date(now.getTime() + deps.windowMs));
  let refreshed = 0;
  for (const { tenantId } of expiring) {
    try {
      if (await deps.refreshTenant(tenantId)) refreshed += 1;
    } catch (err) {
      deps.logger.error({ err, tenantId }, 'background token refresh failed');
    }
  }
  if (expiring.length > 0)
    deps.logger.info({ due: expiring.length, refreshed }, 'background token refresh ran');
  return refreshed;
}

/** The scheduled job that renews rotated tokens of tenants that have gone quiet. */
export const tokenRefreshJob = defineJob({
  name: 'token-refresh',
  schema: z.object({ v: z.literal(1) }),
  handler:
    (
      deps: Omit<TokenRefreshDeps, 'refreshTenant' | 'windowMs'> & {
        refreshTenantTokens: TokenRefreshDeps['refreshTenant'];
      },
    ) =>
    async () => {
      await refreshExpiringTokens({
        ...deps,
        refreshTenant: deps.refreshTenantTokens,
        windowMs: TOKEN_REFRESH_WINDOW_MS,
      });
    },
});
