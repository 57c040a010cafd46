import { appendAudit } from '../../audit/audit.repo.js';
import { notAdmin, notFound, unauthorized } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import { checkWorkspaceAccess, type WorkspaceRoleCheck } from './dashboard-access.service.js';
import {
  endOrParkSession,
  findParkedSession,
  listBrowserSessionWorkspaces,
  type ParkedSession,
  reopenParkedSession,
  revokeSession,
} from './dashboard-sessions.repo.js';
import { type DashboardSession, hashSessionId, newSessionSecrets } from './dashboard-sessions.service.js';

/** A workspace in this browser's switcher (the current one included). */
export interface BrowserWorkspace {
  tenantId: string;
  name: string;
  iconUrl: string | null;
  current: boolean;
}

/**
 * The workspaces this browser signed in to and may switch between: the current one and its parked, live
 * sessions whose workspace Lore still serves. The list exists only server-side, keyed by the session.
 */
export async function listBrowserWorkspaces(
  db: Database,
  session: DashboardSession,
): Promise<BrowserWorkspace[]> {
  // Owner role: the list spans tenants, and each row was proven at its own sign-in.
  return withTransaction(db, async (c) => {
    return listBrowserSessionWorkspaces(c, session.browserId, session.idHash);
  });
}

/** Refused like a workspace that was never in the list: a 404 says nothing about what exists. */
const notInList = () => notFound('Workspace');

/**
 * Switches this browser to another workspace of its list: the entry must be a parked, live session of the
 * same browser; the workspace must still be served and its member still its installer, admin or owner
 * (asked again now). A workspace that fails either check leaves the list. On success the current session
 * is parked (or ended, with `signOutCurrent`), and the chosen one gets a fresh id and CSRF token; it keeps
 * its own expiry. Returns the new cookie value and that expiry.
 */
export async function switchWorkspace(
  db: Database,
  current: DashboardSession,
  tenantId: string,
  roleOf: WorkspaceRoleCheck,
  opts: { signOutCurrent?: boolean } = {},
): Promise<{ id: string; expiresAt: Date }> {
  const target = await withTransaction(db, (c) => findParkedSession(c, current.browserId, tenantId));
  if (!target) throw notInList();
  // No transaction is held while Slack is asked.
  const access = await checkWorkspaceAccess(db, tenantId, target.slackUserId, roleOf);
  if (access.status !== 'allowed') {
    await dropFromList(db, target, tenantId, access.status);
    if (access.status === 'gone') throw notInList();
    throw notAdmin(
      `Ask your Slack admin: only the person who installed Lore and the admins and owners of ${access.name} can open its dashboard.`,
    );
  }
  const { id, csrfToken } = newSessionSecrets();
  const expiresAt = await withTransaction(db, async (c) => {
    // A session without a workspace (operator only) is not something to switch back to.
    const leave = opts.signOutCurrent || !current.tenantId ? 'revoked' : 'parked';
    const left = await endOrParkSession(c, current.idHash, leave);
    if (left !== 1) throw unauthorized('Sign in to the dashboard first');
    // Switched or signed out concurrently: the transaction rolls back and the browser keeps its session.
    const row = await reopenParkedSession(c, target.idHash, hashSessionId(id), csrfToken);
    if (!row) throw notInList();
    if (opts.signOutCurrent) {
      await appendAudit(c, {
        tenantId: current.tenantId,
        actor: current.slackUserId,
        action: 'dashboard.signed_out',
      });
    }
    await appendAudit(c, {
      tenantId,
      actor: target.slackUserId,
      action: 'dashboard.switched_workspace',
      details: { role: access.role },
    });
    return row.expiresAt;
  });
  return { id, expiresAt };
}

async function dropFromList(db: Database, target: ParkedSession, tenantId: string, why: string) {
  await withTransaction(db, async (c) => {
    await revokeSession(c, target.idHash);
    await appendAudit(c, {
      tenantId,
      actor: target.slackUserId,
      action: 'dashboard.switch_refused',
      details: { reason: why },
    });
  });
}
