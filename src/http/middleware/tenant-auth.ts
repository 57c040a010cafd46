import type { RequestHandler } from 'express';
import { AppError, unauthorized } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { resolveApiKey } from '../../tenants/api-keys.service.js';

/** Who is calling /api, and for which tenant. */
export interface AuthContext {
  tenantId: string;
  /** For the audit log: `apikey:<id>` or a Slack user id. */
  actor: string;
  via: 'api_key' | 'session';
}

declare global {
  namespace Express {
    interface Request {
      auth?: AuthContext;
    }
  }
}

/** The tenant of an authenticated request (routes mounted behind `requireTenant` always have one). */
export function authOf(req: Express.Request): AuthContext {
  if (!req.auth) throw unauthorized();
  return req.auth;
}

/**
 * Authenticates /api requests: a tenant API key (`Authorization: Bearer lore_...`) for scripted syncs, or a
 * dashboard session (resolved by `loadSession`, which also checked its CSRF token). A session of an operator
 * who picked no workspace, or of a suspended or uninstalled workspace, is refused with a 403 that says so.
 * Anything else is a 401 with a message saying what to send.
 */
export function requireTenant(deps: { db: Database }): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (bearer) {
      const resolved = await resolveApiKey(deps.db, bearer);
      if (!resolved) throw unauthorized('This API key is not valid or has been revoked');
      req.auth = { tenantId: resolved.tenantId, actor: `apikey:${resolved.keyId}`, via: 'api_key' };
      req.log = req.log?.child({ tenantId: resolved.tenantId });
      return next();
    }
    const session = req.dashboardSession;
    if (session) {
      if (!session.tenantId) {
        throw new AppError({
          code: 'no_workspace',
          message: 'You are signed in as an operator without a workspace: open the operator view',
          status: 403,
        });
      }
      if (session.tenantStatus !== 'active') {
        throw new AppError({
          code: 'workspace_unavailable',
          message: `This workspace is ${session.tenantStatus === 'suspended' ? 'suspended' : 'no longer installed'}: its dashboard is closed`,
          status: 403,
        });
      }
      req.auth = { tenantId: session.tenantId, actor: session.slackUserId, via: 'session' };
      return next();
    }
    throw unauthorized('Sign in to the dashboard, or send an API key as "Authorization: Bearer <key>"');
  };
}
