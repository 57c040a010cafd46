import type { Request, Response } from 'express';
import type { Config } from '../../../config.js';
import type { Database } from '../../../infra/db/database.js';
import {
  createDashboardSession,
  resolveDashboardSession,
  SESSION_TTL_MS,
} from '../../../tenants/access/dashboard-sessions.service.js';
import { cookieOptions, readCookie, SESSION_COOKIE } from '../../middleware/session-auth.js';

/** What a finished sign-in opens: one Slack user in one workspace (or none, for an operator). */
export interface NewSession {
  tenantId: string | null;
  userId: string;
  userName: string;
  isPlatformAdmin: boolean;
  via: string;
  teamIconUrl?: string | null;
}

/** Opens a dashboard session and sets its cookie. */
export type StartSession = (req: Request, res: Response, s: NewSession) => Promise<void>;

/**
 * Creates the session a sign-in ends with. A browser that already holds a live session (its cookie, which
 * the server resolves itself) keeps the workspace it was in, in its switcher: each workspace there was
 * verified at its own sign-in. Anyone who could use this browser's cookie could already open that
 * workspace, so linking adds no access; nothing the browser sends besides its cookie is trusted.
 */
export function createSessionStarter(deps: {
  db: Database;
  config: Pick<Config, 'publicUrl'>;
}): StartSession {
  return async (req, res, s) => {
    const cookie = readCookie(req, SESSION_COOKIE);
    const sameBrowserAs = cookie ? await resolveDashboardSession(deps.db, cookie) : null;
    const created = await createDashboardSession(deps.db, {
      tenantId: s.tenantId,
      slackUserId: s.userId,
      userName: s.userName,
      isPlatformAdmin: s.isPlatformAdmin,
      via: s.via,
      teamIconUrl: s.teamIconUrl ?? null,
      sameBrowserAs,
    });
    res.cookie(SESSION_COOKIE, created.id, cookieOptions(deps.config.publicUrl, SESSION_TTL_MS));
  };
}
