import type { DbClient } from '../../infra/db/database.js';

/**
 * `lore.dashboard_sessions`: the owning repository. Rows are keyed by the SHA-256 of the session id; the
 * rules (lifetime, parking, who is signed out) are dashboard-sessions.service.ts's.
 */

/** A signed-in dashboard user: one Slack user in one workspace (or, for operators, possibly none). */
export interface DashboardSession {
  idHash: string;
  /** Shared by every workspace this browser signed in to (the workspace switcher's list). */
  browserId: string;
  tenantId: string | null;
  tenantName: string | null;
  tenantStatus: 'active' | 'inactive' | 'suspended' | null;
  tenantSlackTeamId: string | null;
  isDemo: boolean;
  slackUserId: string;
  userName: string;
  isPlatformAdmin: boolean;
  csrfToken: string;
  expiresAt: Date;
}

/** A new session row; `browserId` null starts a new browser. Values are stored as given. */
export interface NewDashboardSession {
  idHash: string;
  tenantId: string | null;
  slackUserId: string;
  userName: string;
  isPlatformAdmin: boolean;
  csrfToken: string;
  expiresAt: Date;
  browserId: string | null;
  teamIconUrl: string | null;
}

/** Stores a session (owner role: an operator session may belong to no tenant). */
export async function insertDashboardSession(c: DbClient, s: NewDashboardSession): Promise<void> {
  await c.query(
    `INSERT INTO lore.dashboard_sessions (id_hash, tenant_id, slack_user_id, user_name, is_platform_admin,
         csrf_token, expires_at, browser_id, team_icon_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8::uuid, gen_random_uuid()), $9)`,
    [
      s.idHash,
      s.tenantId,
      s.slackUserId,
      s.userName,
      s.isPlatformAdmin,
      s.csrfToken,
      s.expiresAt,
      s.browserId,
      s.teamIconUrl,
    ],
  );
}

/** Ends (`revoked`) or parks (`parked`) a session that is still live and not parked; returns how many rows changed. */
export async function endOrParkSession(
  c: DbClient,
  idHash: string,
  how: 'revoked' | 'parked',
): Promise<number> {
  const { rowCount } = await c.query(
    `UPDATE lore.dashboard_sessions SET ${how === 'revoked' ? 'revoked_at' : 'parked_at'} = now()
     WHERE id_hash = $1 AND revoked_at IS NULL AND parked_at IS NULL`,
    [idHash],
  );
  return rowCount ?? 0;
}

/** Revokes a browser's parked, live sessions for one workspace (it is being signed in to again). */
export async function revokeParkedSessionsFor(
  c: DbClient,
  browserId: string,
  tenantId: string,
): Promise<void> {
  await c.query(
    `UPDATE lore.dashboard_sessions SET revoked_at = now()
       WHERE browser_id = $1 AND tenant_id = $2 AND revoked_at IS NULL AND parked_at IS NOT NULL`,
    [browserId, tenantId],
  );
}

/** The live, unparked session with this id hash and its workspace, with when it was last seen; or undefined. */
export async function findLiveSession(
  c: DbClient,
  idHash: string,
): Promise<(DashboardSession & { lastSeenAt: Date }) | undefined> {
  const { rows } = await c.query<DashboardSession & { lastSeenAt: Date }>(
    `SELECT s.id_hash AS "idHash", s.browser_id AS "browserId", s.tenant_id AS "tenantId",
              t.name AS "tenantName", t.status AS "tenantStatus",
              t.slack_team_id AS "tenantSlackTeamId", coalesce(t.is_demo, false) AS "isDemo",
              s.slack_user_id AS "slackUserId", s.user_name AS "userName", s.is_platform_admin AS "isPlatformAdmin",
              s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt", s.last_seen_at AS "lastSeenAt"
       FROM lore.dashboard_sessions s LEFT JOIN lore.tenants t ON t.id = s.tenant_id
       WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.parked_at IS NULL AND s.expires_at > now()`,
    [idHash],
  );
  return rows[0];
}

/** Stamps a session as seen now. */
export async function touchSession(c: DbClient, idHash: string): Promise<void> {
  await c.query('UPDATE lore.dashboard_sessions SET last_seen_at = now() WHERE id_hash = $1', [idHash]);
}

/** Revokes a session and the sessions parked in its browser. */
export async function revokeSessionAndParked(c: DbClient, idHash: string, browserId: string): Promise<void> {
  await c.query(
    `UPDATE lore.dashboard_sessions SET revoked_at = now()
       WHERE (id_hash = $1 OR (browser_id = $2 AND parked_at IS NOT NULL)) AND revoked_at IS NULL`,
    [idHash, browserId],
  );
}

/** Revokes every live session of a Slack user or of a browser; returns how many. */
export async function revokeSessionsOfUserOrBrowser(
  c: DbClient,
  slackUserId: string,
  browserId: string,
): Promise<number> {
  const { rowCount } = await c.query(
    `UPDATE lore.dashboard_sessions SET revoked_at = now()
       WHERE (slack_user_id = $1 OR browser_id = $2) AND revoked_at IS NULL`,
    [slackUserId, browserId],
  );
  return rowCount ?? 0;
}

/** A parked session of the workspace switcher: whose it is. */
export interface ParkedSession {
  idHash: string;
  slackUserId: string;
}

/** The workspaces a browser may switch between: its current session's and its parked, live ones of active tenants. */
export async function listBrowserSessionWorkspaces(
  c: DbClient,
  browserId: string,
  currentIdHash: string,
): Promise<{ tenantId: string; name: string; iconUrl: string | null; current: boolean }[]> {
  const { rows } = await c.query<{
    tenantId: string;
    name: string;
    iconUrl: string | null;
    current: boolean;
  }>(
    `SELECT s.tenant_id AS "tenantId", t.name, s.team_icon_url AS "iconUrl", s.id_hash = $2 AS current
       FROM lore.dashboard_sessions s JOIN lore.tenants t ON t.id = s.tenant_id
       WHERE s.browser_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND t.status = 'active'
         AND (s.id_hash = $2 OR s.parked_at IS NOT NULL)
       ORDER BY lower(t.name), t.id`,
    [browserId, currentIdHash],
  );
  return rows;
}

/** The browser's parked, live session for a workspace, or undefined. */
export async function findParkedSession(
  c: DbClient,
  browserId: string,
  tenantId: string,
): Promise<ParkedSession | undefined> {
  const { rows } = await c.query<ParkedSession>(
    `SELECT id_hash AS "idHash", slack_user_id AS "slackUserId" FROM lore.dashboard_sessions
       WHERE browser_id = $1 AND tenant_id = $2 AND parked_at IS NOT NULL AND revoked_at IS NULL
         AND expires_at > now()`,
    [browserId, tenantId],
  );
  return rows[0];
}

/** Reopens a parked, live session under a new id hash and CSRF token; its expiry, or undefined when it is gone. */
export async function reopenParkedSession(
  c: DbClient,
  idHash: string,
  newIdHash: string,
  csrfToken: string,
): Promise<{ expiresAt: Date } | undefined> {
  const { rows } = await c.query<{ expiresAt: Date }>(
    `UPDATE lore.dashboard_sessions SET id_hash = $2, csrf_token = $3, parked_at = NULL, last_seen_at = now()
       WHERE id_hash = $1 AND parked_at IS NOT NULL AND revoked_at IS NULL AND expires_at > now()
       RETURNING expires_at AS "expiresAt"`,
    [idHash, newIdHash, csrfToken],
  );
  return rows[0];
}

/** Revokes one session, whatever its state. */
export async function revokeSession(c: DbClient, idHash: string): Promise<void> {
  await c.query('UPDATE lore.dashboard_sessions SET revoked_at = now() WHERE id_hash = $1', [idHash]);
}

// Admins who stopped signing in long ago may no longer be admins; Slack is not asked again for a DM.
const RECENT_DAYS = 90;

/**
 * Slack users who signed in to the current tenant's dashboard in the last 90 days (only installers, admins
 * and owners can), operators excluded: they are not the workspace's people. Call inside withTenant.
 */
export async function recentDashboardAdmins(c: DbClient): Promise<string[]> {
  const { rows } = await c.query<{ slack_user_id: string }>(
    `SELECT DISTINCT slack_user_id FROM lore.dashboard_sessions
     WHERE NOT is_platform_admin AND created_at > now() - make_interval(days => $1)
     ORDER BY slack_user_id`,
    [RECENT_DAYS],
  );
  return rows.map((r) => r.slack_user_id);
}
