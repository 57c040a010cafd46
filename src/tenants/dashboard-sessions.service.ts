import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import type { Database } from '../infra/db/database.js';
import { withTransaction } from '../infra/db/transaction.js';

/** How long a dashboard sign-in lasts before the admin signs in with Slack again. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
// last_seen_at is informational: writing it on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60_000;

/** A signed-in dashboard user: one Slack user in one workspace (or, for operators, possibly none). */
export interface DashboardSession {
  idHash: string;
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

/** Only the SHA-256 of a session id is stored: a leaked table cannot be replayed as cookies. */
export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Creates a session after a successful sign-in and returns the cookie value (the only place the raw id
 * exists). Runs as the owner: an operator session may belong to no tenant.
 */
export async function createDashboardSession(
  db: Database,
  s: {
    tenantId: string | null;
    slackUserId: string;
    userName: string;
    isPlatformAdmin: boolean;
    via: string;
  },
): Promise<{ id: string; csrfToken: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await withTransaction(db, async (c) => {
    await c.query(
      `INSERT INTO lore.dashboard_sessions (id_hash, tenant_id, slack_user_id, user_name, is_platform_admin,
         csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        hashSessionId(id),
        s.tenantId,
        s.slackUserId,
        s.userName.slice(0, 200),
        s.isPlatformAdmin,
        csrfToken,
        expiresAt,
      ],
    );
    await appendAudit(c, {
      tenantId: s.tenantId,
      actor: s.slackUserId,
      action: 'dashboard.signed_in',
      details: { via: s.via, platformAdmin: s.isPlatformAdmin },
    });
  });
  return { id, csrfToken, expiresAt };
}

/** The live session for a cookie value, or null (unknown, expired or revoked). */
export async function resolveDashboardSession(db: Database, id: string): Promise<DashboardSession | null> {
  if (!id || id.length > 100) return null;
  return withTransaction(db, async (c) => {
    const { rows } = await c.query<DashboardSession & { lastSeenAt: Date }>(
      `SELECT s.id_hash AS "idHash", s.tenant_id AS "tenantId", t.name AS "tenantName", t.status AS "tenantStatus",
              t.slack_team_id AS "tenantSlackTeamId", coalesce(t.is_demo, false) AS "isDemo",
              s.slack_user_id AS "slackUserId", s.user_name AS "userName", s.is_platform_admin AS "isPlatformAdmin",
              s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt", s.last_seen_at AS "lastSeenAt"
       FROM lore.dashboard_sessions s LEFT JOIN lore.tenants t ON t.id = s.tenant_id
       WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [hashSessionId(id)],
    );
    const row = rows[0];
    if (!row) return null;
    if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await c.query('UPDATE lore.dashboard_sessions SET last_seen_at = now() WHERE id_hash = $1', [
        row.idHash,
      ]);
    }
    const { lastSeenAt: _seen, ...session } = row;
    return session;
  });
}

/** Signs one session out. */
export async function revokeDashboardSession(db: Database, session: DashboardSession): Promise<void> {
  await withTransaction(db, async (c) => {
    await c.query(
      'UPDATE lore.dashboard_sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL',
      [session.idHash],
    );
    await appendAudit(c, {
      tenantId: session.tenantId,
      actor: session.slackUserId,
      action: 'dashboard.signed_out',
    });
  });
}

/**
 * "Sign out everywhere": revokes every live session of this Slack user (all browsers, all workspaces they
 * signed in to: Slack user ids are unique across workspaces). Returns how many were revoked.
 */
export async function revokeAllSessionsOfUser(db: Database, session: DashboardSession): Promise<number> {
  return withTransaction(db, async (c) => {
    const { rowCount } = await c.query(
      'UPDATE lore.dashboard_sessions SET revoked_at = now() WHERE slack_user_id = $1 AND revoked_at IS NULL',
      [session.slackUserId],
    );
    await appendAudit(c, {
      tenantId: session.tenantId,
      actor: session.slackUserId,
      action: 'dashboard.signed_out_everywhere',
      details: { sessions: rowCount ?? 0 },
    });
    return rowCount ?? 0;
  });
}
