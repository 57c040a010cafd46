import express, { type RequestHandler, Router } from 'express';
import type { Config } from '../../../config.js';
import { switchWorkspaceBody } from '../../../contracts/session.contract.js';
import { unauthorized } from '../../../errors.js';
import type { Database } from '../../../infra/db/database.js';
import type { WorkspaceRoleCheck } from '../../../tenants/access/dashboard-access.service.js';
import { resolveDashboardSession } from '../../../tenants/access/dashboard-sessions.service.js';
import { switchWorkspace } from '../../../tenants/access/dashboard-workspaces.service.js';
import { cookieOptions, loadSession, SESSION_COOKIE } from '../../middleware/session-auth.js';
import { parseInput } from '../../middleware/validate.js';
import { sessionBody } from './session.routes.js';

/**
 * `POST /api/session/switch {tenantId, signOutCurrent?}`: opens another workspace of this browser's
 * switcher (server-side list only; anything else is a 404) after checking access again, and answers with
 * the new session (fresh cookie and CSRF token). It lives here, not in /api/session's router, because it
 * needs the Slack role check; the session and its CSRF token are checked by loadSession as for all of /api.
 */
export function switchWorkspaceRoutes(deps: {
  db: Database;
  config: Pick<Config, 'publicUrl'>;
  roleOf: WorkspaceRoleCheck;
}): Router {
  const router = Router();
  const load = loadSession(deps);
  // /api's own loadSession has usually run already (that router is mounted first); run it if not.
  const ensureSession: RequestHandler = (req, res, next) =>
    req.dashboardSession ? next() : load(req, res, next);

  router.post('/api/session/switch', ensureSession, express.json({ limit: '4kb' }), async (req, res) => {
    const current = req.dashboardSession;
    if (!current) throw unauthorized('Sign in to the dashboard first');
    const body = parseInput(switchWorkspaceBody, req.body ?? {});
    if (body.tenantId === current.tenantId && !body.signOutCurrent) {
      res.json(await sessionBody(deps.db, current));
      return;
    }
    const opened = await switchWorkspace(deps.db, current, body.tenantId, deps.roleOf, {
      signOutCurrent: body.signOutCurrent,
    });
    const session = await resolveDashboardSession(deps.db, opened.id);
    if (!session) throw unauthorized('Sign in to the dashboard first');
    const maxAge = Math.max(0, opened.expiresAt.getTime() - Date.now());
    res.cookie(SESSION_COOKIE, opened.id, cookieOptions(deps.config.publicUrl, maxAge));
    res.set('Cache-Control', 'no-store').json(await sessionBody(deps.db, session));
  });

  return router;
}
