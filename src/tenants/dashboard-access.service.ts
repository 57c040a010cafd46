import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';

/** A Slack member as Sign in with Slack identifies them. */
export interface SignInIdentity {
  userId: string;
  teamId: string;
  enterpriseId: string | null;
}

/** Asks Slack for a member's role in a tenant's workspace (injected: it needs the tenant's bot token). */
export type WorkspaceRoleCheck = (
  tenantId: string,
  userId: string,
) => Promise<{ isAdmin: boolean; isOwner: boolean }>;

/** A workspace this person may open in the dashboard, and why. */
export interface AllowedWorkspace {
  tenantId: string;
  name: string;
  slackTeamId: string | null;
  role: 'installer' | 'owner' | 'admin';
}

/** Which installed workspaces the identity may open; `installed` counts the ones Lore serves at all. */
export interface WorkspaceAccess {
  allowed: AllowedWorkspace[];
  installed: number;
  suspended: number;
}

interface CandidateRow {
  id: string;
  name: string;
  slackTeamId: string | null;
  status: 'active' | 'inactive' | 'suspended';
  isInstaller: boolean;
}

/**
 * The installer and the workspace's admins and owners get in; nobody else does. A member of an Enterprise
 * Grid org may match several tenants (the org-wide install and workspaces installed on their own).
 */
export async function findAccessibleWorkspaces(
  db: Database,
  who: SignInIdentity,
  roleOf: WorkspaceRoleCheck,
): Promise<WorkspaceAccess> {
  // Owner role: the tenant is what we are looking for. No transaction is held while Slack is asked below.
  const candidates = await withTransaction(db, async (c) => {
    const { rows } = await c.query<CandidateRow>(
      `SELECT t.id, t.name, t.slack_team_id AS "slackTeamId", t.status,
              EXISTS (SELECT 1 FROM lore.installations i WHERE i.tenant_id = t.id AND i.uninstalled_at IS NULL
                      AND i.installer_user_id = $3) AS "isInstaller"
       FROM lore.tenants t
       WHERE t.status <> 'inactive'
         AND ((NOT t.is_enterprise_install AND t.slack_team_id = $1)
              OR (t.is_enterprise_install AND t.slack_enterprise_id = $2))
       ORDER BY t.is_enterprise_install DESC, t.name`,
      [who.teamId, who.enterpriseId, who.userId],
    );
    return rows;
  });
  const allowed: AllowedWorkspace[] = [];
  for (const t of candidates.filter((x) => x.status === 'active')) {
    const base = { tenantId: t.id, name: t.name, slackTeamId: t.slackTeamId };
    if (t.isInstaller) {
      allowed.push({ ...base, role: 'installer' });
      continue;
    }
    const role = await roleOf(t.id, who.userId);
    if (role.isOwner) allowed.push({ ...base, role: 'owner' });
    else if (role.isAdmin) allowed.push({ ...base, role: 'admin' });
  }
  return {
    allowed,
    installed: candidates.length,
    suspended: candidates.filter((x) => x.status === 'suspended').length,
  };
}
