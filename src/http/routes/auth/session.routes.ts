import { Router } from 'express';
import type { Config } from '../../../config.js';
import type { SessionDto } from '../../../contracts/session.contract.js';
import { unauthorized } from '../../../errors.js';
import type { Database } from '../../../infra/db/database.js';
import {
  type DashboardSession,
  revokeAllSessionsOfUser,
  revokeDashboardSession,
} from '../../../tenants/access/dashboard-sessions.service.js';
import { listBrowserWorkspaces } from '../../../tenants/access/dashboard-workspaces.service.js';
import { cookieOptions, SESSION_COOKIE } from '../../middleware/session-auth.js';

function sessionOf(req: Express.Request): DashboardSession {
  if (!req.dashboardSession) throw unauthorized('Sign in to the dashboard first');
  return req.dashboardSession;
}

/** The wire shape of the signed-in user, their workspace and the CSRF token the dashboard must echo. */
export function toSessionDto(s: DashboardSession, workspaces: SessionDto['workspaces'] = []): SessionDto {
  return {
    user: { slackUserId: s.slackUserId, name: s.userName, isPlatformAdmin: s.isPlatformAdmin },
    workspace:
      s.tenantId && s.tenantStatus
        ? {
            tenantId: s.tenantId,
            name: s.tenantName ?? '',
            slackTeamId: s.tenantSlackTeamId,
            status: s.tenantStatus,
            isDemo: s.isDemo,
          }
        : null,
    workspaces,
    csrfToken: s.csrfToken,
    expiresAt: s.expiresAt.toISOString(),
  };
}

/** The session as `GET /api/session` shows it, with the workspaces this browser may switch between. */
export async function sessionBody(db: Database, s: DashboardSession): Promise<SessionDto> {
  return toSessionDto(s, await listBrowserWorkspaces(db, s));
}

/**
 * `/api/session`: who is signed in (and the workspace switcher's list), sign out of this browser, and sign
 * out everywhere (mounted after loadSession). Switching lives with sign-in, which can ask Slack for roles.
 */
export function sessionRoutes(deps: { db: Database; config: Pick<Config, 'publicUrl'> }): Router {
  const router = Router();
  const clear = cookieOptions(deps.config.publicUrl);

  router.get('/session', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await sessionBody(deps.db, sessionOf(req)));
  });

  router.delete('/session', async (req, res) => {
    await revokeDashboardSession(deps.db, sessionOf(req));
    res.clearCookie(SESSION_COOKIE, clear).status(204).end();
  });

  router.post('/session/revoke-all', async (req, res) => {
    const revoked = await revokeAllSessionsOfUser(deps.db, sessionOf(req));
    res.clearCookie(SESSION_COOKIE, clear).json({ revoked });
  });

  return router;
}
