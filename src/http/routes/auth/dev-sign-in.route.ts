import type { RequestHandler } from 'express';
import type { Config } from '../../../config.js';
import type { SignedInDto } from '../../../contracts/session.contract.js';
import { forbidden, notFound } from '../../../errors.js';
import type { Database } from '../../../infra/db/database.js';
import { DEMO_TEAM_ID } from '../../../tenants/demo/demo-tenant.js';
import { findTenantBySlackId } from '../../../tenants/tenants.repo.js';
import { fromThisMachine, requireOwnHost } from '../../middleware/local-only.js';
import type { StartSession } from './session-starter.js';

/** The Slack user id the dev sign-in acts as (no real Slack user has it). */
export const DEV_USER_ID = 'U0LOREDEV';

/**
 * `POST /auth/dev-sign-in`: opens the demo workspace as an admin who is also a platform operator, so every
 * page can be tried on a fresh clone. Exists only in embedded, non-production mode; anywhere else it is a
 * 404 like any unknown route. A JSON body is required so a cross-site form cannot trigger it; the peer must be
 * loopback (and not a local tunnel relaying someone else) and the Host header ours (DNS rebinding).
 */
export function devSignInRoute(deps: {
  db: Database;
  config: Pick<Config, 'embedded' | 'isProduction' | 'publicUrl'>;
  startSession: StartSession;
}): RequestHandler {
  return async (req, res) => {
    const noRoute = notFound('Route', `No route for POST ${req.path}`);
    if (!deps.config.embedded || deps.config.isProduction) throw noRoute;
    if (!req.is('application/json')) throw noRoute;
    // It grants platform operator: only someone at this machine, through a name that is really ours
    // (a DNS-rebinding page reaches loopback under its own host name), may use it.
    if (!fromThisMachine(req)) throw forbidden('Dev sign-in is only available from this machine');
    requireOwnHost(req, deps.config.publicUrl);
    const demo = await findTenantBySlackId(deps.db.pool, DEMO_TEAM_ID);
    if (!demo) throw notFound('Demo workspace');
    await deps.startSession(req, res, {
      tenantId: demo.id,
      userId: DEV_USER_ID,
      userName: 'Dev admin',
      isPlatformAdmin: true,
      via: 'dev',
    });
    const body: SignedInDto = { redirect: '/app' };
    res.json(body);
  };
}
