import type { RequestHandler } from 'express';
import type { ApiKeyScope } from '../../contracts/settings.contract.js';
import { missingScope, noWorkspace, unauthorized, workspaceUnavailable } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import { resolveApiKey } from '../../tenants/access/api-keys.service.js';

/** Who is calling /api, and for which tenant. */
export interface AuthContext {
  tenantId: string;
  /** For the audit log: `apikey:<id>` or a Slack user id. */
  actor: string;
  via: 'api_key' | 'session';
  /** What an API key may do; a dashboard session may do everything its routes offer. */
  scopes?: ApiKeyScope[];
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
      req.auth = {
        tenantId: resolved.tenantId,
        actor: `apikey:${resolved.keyId}`,
        via: 'api_key',
        scopes: resolved.scopes,
      };
      req.log = req.log?.child({ tenantId: resolved.tenantId });
      return next();
    }
    const session = req.dashboardSession;
    if (session) {
      if (!session.tenantId) {
        throw noWorkspace('You are signed in as an operator without a workspace: open the operator view');
      }
      if (session.tenantStatus !== 'active') {
        throw workspaceUnavailable(
          `This workspace is ${session.tenantStatus === 'suspended' ? 'suspended' : 'no longer installed'}: its dashboard is closed`,
        );
      }
      req.auth = { tenantId: session.tenantId, actor: session.slackUserId, via: 'session' };
      return next();
    }
    throw unauthorized('Sign in to the dashboard, or send an API key as "Authorization: Bearer <key>"');
  };
}

/** The scope an API key needs for a request under /api, or undefined for routes keys never reach. */
function scopeFor(method: string, path: string): ApiKeyScope | undefined {
  if (path === '/documents' || path.startsWith('/documents/'))
    return method === 'GET' || method === 'HEAD' ? 'documents:read' : 'documents:write';
  if (path === '/ask') return 'ask';
  return undefined;
}

/**
 * Refuses an API key a route its scopes do not cover (403 `missing_scope`, naming the scope). Sessions pass;
 * routes outside documents and ask are left to `requireSession`, which keeps keys out of them.
 */
export const requireApiKeyScope: RequestHandler = (req, _res, next) => {
  const auth = req.auth;
  const needed = scopeFor(req.method, req.path);
  if (auth?.via !== 'api_key' || !needed || auth.scopes?.includes(needed)) return next();
  throw missingScope(
    `This API key does not have the "${needed}" scope: an admin can issue one that does (Settings → API keys)`,
    { needed, granted: auth.scopes ?? [] },
  );
};
