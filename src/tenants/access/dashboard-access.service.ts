import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';
import { accessFactsOf, type SignInCandidate, signInCandidates } from '../tenants.repo.js';

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

/** Installed workspaces the identity belongs to (owner role: the tenant is what we are looking for). */
async function candidateWorkspaces(db: Database, who: SignInIdentity): Promise<SignInCandidate[]> {
  return withTransaction(db, (c) => signInCandidates(c, who));
}

/**
 * The active workspaces a member may read cited sources in: any member of a workspace Lore serves, no
 * role needed (what they may read inside it is decided per document, by their channels' collections).
 */
export async function findMemberWorkspaces(db: Database, who: SignInIdentity): Promise<string[]> {
  return (await candidateWorkspaces(db, who)).filter((t) => t.status === 'active').map((t) => t.id);
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
  // No transaction is held while Slack is asked below.
  const candidates = await candidateWorkspaces(db, who);
  const allowed: AllowedWorkspace[] = [];
  for (const t of candidates.filter((x) => x.status === 'active')) {
    const role = await dashboardRole(t, who.userId, roleOf);
    if (role) allowed.push({ tenantId: t.id, name: t.name, slackTeamId: t.slackTeamId, role });
  }
  return {
    allowed,
    installed: candidates.length,
    suspended: candidates.filter((x) => x.status === 'suspended').length,
  };
}

/** The one rule of who may open a workspace's dashboard: its installer, or an owner or admin per Slack. */
async function dashboardRole(
  t: { id: string; isInstaller: boolean },
  userId: string,
  roleOf: WorkspaceRoleCheck,
): Promise<AllowedWorkspace['role'] | null> {
  if (t.isInstaller) return 'installer';
  const role = await roleOf(t.id, userId);
  if (role.isOwner) return 'owner';
  return role.isAdmin ? 'admin' : null;
}

/** Whether a member may still open one workspace: `gone` when Lore no longer serves it (uninstalled, suspended). */
export type WorkspaceAccessCheck =
  | { status: 'allowed'; name: string; role: AllowedWorkspace['role'] }
  /** `installed`: the workspace has a live installation, so Slack can be asked about its members at all. */
  | { status: 'not_allowed'; name: string; installed: boolean }
  | { status: 'gone' };

/**
 * Checks again, for one tenant, what a sign-in checked: the tenant is active and the member is its installer
 * or (asking Slack now) an admin or owner. Used when the workspace switcher reopens a workspace.
 */
export async function checkWorkspaceAccess(
  db: Database,
  tenantId: string,
  userId: string,
  roleOf: WorkspaceRoleCheck,
): Promise<WorkspaceAccessCheck> {
  const tenant = await withTransaction(db, (c) => accessFactsOf(c, tenantId, userId));
  if (tenant?.status !== 'active') return { status: 'gone' };
  const role = await dashboardRole(tenant, userId, roleOf);
  return role
    ? { status: 'allowed', name: tenant.name, role }
    : { status: 'not_allowed', name: tenant.name, installed: tenant.installed };
}

/**
 * The role check with a short cache. `fresh` always asks Slack (sign-in, switching) and records the answer;
 * `cached` (every dashboard request) reuses an answer up to `ttlMs` old, so a member whose admin role is
 * taken away loses the dashboard within that time without Slack being asked on every request.
 */
export function createRoleCache(
  roleOf: WorkspaceRoleCheck,
  kv: KeyValueStore,
  ttlMs = 60_000,
): { fresh: WorkspaceRoleCheck; cached: WorkspaceRoleCheck } {
  const keyOf = (tenantId: string, userId: string) => `dashboard-role:${tenantId}:${userId}`;
  const fresh: WorkspaceRoleCheck = async (tenantId, userId) => {
    const role = await roleOf(tenantId, userId);
    await kv.set(keyOf(tenantId, userId), JSON.stringify(role), { ttlMs });
    return role;
  };
  const cached: WorkspaceRoleCheck = async (tenantId, userId) => {
    const hit = await kv.get(keyOf(tenantId, userId));
    return hit ? (JSON.parse(hit) as { isAdmin: boolean; isOwner: boolean }) : fresh(tenantId, userId);
  };
  return { fresh, cached };
}
