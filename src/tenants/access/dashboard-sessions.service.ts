import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../../audit/audit.repo.js';
import type { Database, DbClient } from '../../infra/db/database.js';
import { withTransaction } from '../../infra/db/transaction.js';
import {
  type DashboardSession,
  endOrParkSession,
  findLiveSession,
  insertDashboardSession,
  revokeParkedSessionsFor,
  revokeSessionAndParked,
  revokeSessionsOfUserOrBrowser,
  touchSession,
} from './dashboard-sessions.repo.js';

/** How long a dashboard sign-in lasts before the admin signs in with Slack again. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// last_seen_at is informational: writing it on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60_000;

export type { DashboardSession } from './dashboard-sessions.repo.js';

/** Only the SHA-256 of a session id is stored: a leaked table cannot be replayed as cookies. */
export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

/** A fresh random session id and CSRF token (a switch issues new ones too). */
export function newSessionSecrets(): { id: string; csrfToken: string } {
  return { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(24).toString('base64url') };
}

/**
 * Creates a session after a successful sign-in and returns the cookie value (the only place the raw id
 * exists). Runs as the owner: an operator session may belong to no tenant.
 *
 * `sameBrowserAs` is the live session the browser already held: the new one joins its browser, and the
 * workspace it was in is parked in the switcher's list (a workspace signed in to again replaces its old
 * entry). Only the server decides this, from the cookie it resolved itself.
 */
export async function createDashboardSession(
  db: Database,
  s: {
    tenantId: string | null;
    slackUserId: string;
    userName: string;
    isPlatformAdmin: boolean;
    via: string;
    teamIconUrl?: string | null;
    sameBrowserAs?: DashboardSession | null;
  },
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const { id, csrfToken } = newSessionSecrets();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const previous = s.sameBrowserAs ?? null;
  await withTransaction(db, async (c) => {
    if (previous) await parkForNewSignIn(c, previous, s.tenantId);
    await insertDashboardSession(c, {
      idHash: hashSessionId(id),
      tenantId: s.tenantId,
      slackUserId: s.slackUserId,
      userName: s.userName.slice(0, 200),
      isPlatformAdmin: s.isPlatformAdmin,
      csrfToken,
      expiresAt,
      browserId: previous?.browserId ?? null,
      teamIconUrl: s.teamIconUrl?.startsWith('https://') ? s.teamIconUrl.slice(0, 500) : null,
    });
    await appendAudit(c, {
      tenantId: s.tenantId,
      actor: s.slackUserId,
      action: 'dashboard.signed_in',
      details: { via: s.via, platformAdmin: s.isPlatformAdmin },
    });
  });
  return { id, csrfToken, expiresAt };
}

/**
 * Before a new sign-in in the same browser: the session the browser held is parked (it stays in the list),
 * unless it had no workspace (an operator-only session is not a workspace to switch to) or is for the
 * workspace being signed in to again; any older entry for that workspace is replaced as well.
 */
async function parkForNewSignIn(c: DbClient, previous: DashboardSession, tenantId: string | null) {
  const replaced = previous.tenantId === null || previous.tenantId === tenantId;
  await endOrParkSession(c, previous.idHash, replaced ? 'revoked' : 'parked');
  if (tenantId) await revokeParkedSessionsFor(c, previous.browserId, tenantId);
}

/** The live session for a cookie value, or null (unknown, expired or revoked). */
export async function resolveDashboardSession(db: Database, id: string): Promise<DashboardSession | null> {
  if (!id || id.length > 100) return null;
  return withTransaction(db, async (c) => {
    const row = await findLiveSession(c, hashSessionId(id));
    if (!row) return null;
    if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await touchSession(c, row.idHash);
    const { lastSeenAt: _seen, ...session } = row;
    return session;
  });
}

/**
 * Signs this browser out: its session ends, and so do the workspaces parked in its switcher (with the
 * cookie gone nothing could reach them). Leaving one workspace for another is a switch that signs out.
 */
export async function revokeDashboardSession(db: Database, session: DashboardSession): Promise<void> {
  await withTransaction(db, async (c) => {
    await revokeSessionAndParked(c, session.idHash, session.browserId);
    await appendAudit(c, {
      tenantId: session.tenantId,
      actor: session.slackUserId,
      action: 'dashboard.signed_out',
    });
  });
}

/**
 * "Sign out everywhere": revokes every live session of this Slack user (all browsers, all workspaces they
 * signed in to: Slack user ids are unique across workspaces) and every workspace in this browser's
 * switcher (which may be other Slack accounts of the same person). Returns how many were revoked.
 */
export async function revokeAllSessionsOfUser(db: Database, session: DashboardSession): Promise<number> {
  return withTransaction(db, async (c) => {
    const revoked = await revokeSessionsOfUserOrBrowser(c, session.slackUserId, session.browserId);
    await appendAudit(c, {
      tenantId: session.tenantId,
      actor: session.slackUserId,
      action: 'dashboard.signed_out_everywhere',
      details: { sessions: revoked },
    });
    return revoked;
  });
}
