import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import { recentDashboardAdmins } from '../access/dashboard-sessions.repo.js';
import type { InstallationService } from '../installations/installations.service.js';

/** Who hears about a workspace's limits and problems: its installer and the admins who use the dashboard. */
export type AdminRecipients = (tenantId: string) => Promise<string[]>;

export function createAdminRecipients(deps: {
  db: Database;
  installations: Pick<InstallationService, 'findByTenant'>;
}): AdminRecipients {
  return async (tenantId) => {
    const [installation, admins] = await Promise.all([
      deps.installations.findByTenant(tenantId),
      withTenant(deps.db, tenantId, recentDashboardAdmins),
    ]);
    const installer = installation?.user.id;
    return [...new Set([...(installer ? [installer] : []), ...admins])];
  };
}
