import type { Config } from '../../config.js';
import type { Database } from '../../infra/db/database.js';
import {
  checkWorkspaceAccess,
  type WorkspaceRoleCheck,
} from '../../tenants/access/dashboard-access.service.js';
import type { DashboardSession } from '../../tenants/access/dashboard-sessions.service.js';
import { DEV_USER_ID } from '../routes/auth/dev-sign-in.route.js';

/** Re-checks a resolved session's rights now; null when they have ended (the request is then anonymous). */
export type SessionRecheck = (session: DashboardSession) => Promise<DashboardSession | null>;

/**
 * A session lasts 7 days, but the rights it was opened with may end sooner, so they are checked on use:
 * operator rights need the user in PLATFORM_ADMINS today, and a workspace session needs its member to be
 * the current installer or (Slack asked through `roleOf`, which callers cache briefly) an admin or owner.
 * The embedded dev sign-in's user keeps what it was given: it exists only on embedded defaults.
 */
export function createSessionRecheck(deps: {
  db: Database;
  config: Pick<Config, 'platformAdmins' | 'embedded' | 'isProduction'>;
  roleOf: WorkspaceRoleCheck;
}): SessionRecheck {
  const devAllowed = deps.config.embedded && !deps.config.isProduction;
  return async (s) => {
    const dev = devAllowed && s.slackUserId === DEV_USER_ID;
    const isPlatformAdmin = s.isPlatformAdmin && (dev || deps.config.platformAdmins.includes(s.slackUserId));
    // Suspended or uninstalled workspaces are refused further on, with their own message.
    if (s.tenantId && s.tenantStatus === 'active' && !(dev && s.isDemo)) {
      const access = await checkWorkspaceAccess(deps.db, s.tenantId, s.slackUserId, deps.roleOf);
      // No live installation: there is no installer or Slack to ask (nobody can sign in to it either).
      if (access.status === 'not_allowed' && access.installed) return null;
    }
    return { ...s, isPlatformAdmin };
  };
}
