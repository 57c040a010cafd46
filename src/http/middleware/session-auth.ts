import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, RequestHandler } from 'express';
import { csrfFailed, forbidden, notFound, unauthorized } from '../../errors.js';
import type { Database } from '../../infra/db/database.js';
import {
  type DashboardSession,
  resolveDashboardSession,
} from '../../tenants/access/dashboard-sessions.service.js';
import type { SessionRecheck } from './session-recheck.js';

/** The cookie holding the random session id (the database stores only its hash). */
export const SESSION_COOKIE = 'lore_session';
/**
 * The cookie of a member signed in only to read cited sources (`/read/...`, where its path limits it). The
 * dashboard API answers it 404: members get no admin page, and no hint of what is there.
 */
export const READER_COOKIE = 'lore_reader';
/** The header a dashboard session must send on every mutating /api request. */
export const CSRF_HEADER = 'x-csrf-token';

declare global {
  namespace Express {
    interface Request {
      dashboardSession?: DashboardSession;
    }
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads one cookie from the Cookie header (no cookie-parser: this is the only cookie Lore reads besides sign-in's). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** httpOnly, SameSite=Lax, and Secure whenever the public URL is https. */
export function cookieOptions(publicUrl: string, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https:'),
    path: '/',
    ...(maxAgeMs !== undefined ? { maxAge: maxAgeMs } : {}),
  };
}

const hasBearer = (req: Request) => /^Bearer\s+\S+$/i.test(req.get('authorization') ?? '');

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Resolves the dashboard session cookie for /api requests that carry no API key, and refuses a mutating
 * request from a session without its CSRF token (403 `csrf_failed`). A Bearer request never looks at cookies.
 */
export function loadSession(deps: { db: Database; recheck?: SessionRecheck }): RequestHandler {
  return async (req, _res, next) => {
    if (hasBearer(req)) return next();
    const id = readCookie(req, SESSION_COOKIE);
    const resolved = id ? await resolveDashboardSession(deps.db, id) : null;
    // Rights that ended since the sign-in end the session's use too (see session-recheck.ts).
    const session = resolved && deps.recheck ? await deps.recheck(resolved) : resolved;
    if (!session) {
      if (readCookie(req, READER_COOKIE)) throw notFound('Page');
      return next();
    }
    if (MUTATING.has(req.method) && !sameToken(req.get(CSRF_HEADER), session.csrfToken)) {
      throw csrfFailed();
    }
    req.dashboardSession = session;
    req.log = req.log?.child({ tenantId: session.tenantId ?? undefined });
    next();
  };
}

/** Routes only a signed-in dashboard user may call (not API keys, which may only sync documents). */
export const requireSession: RequestHandler = (req, _res, next) => {
  if (req.auth?.via === 'api_key')
    throw forbidden('API keys can only manage documents; sign in to the dashboard for this');
  if (!req.dashboardSession) throw unauthorized('Sign in to the dashboard first');
  next();
};

/** The operator view: sessions of Slack users listed in PLATFORM_ADMINS. */
export const requirePlatformAdmin: RequestHandler = (req, _res, next) => {
  if (hasBearer(req)) throw forbidden('The operator API needs a dashboard sign-in, not an API key');
  if (!req.dashboardSession) throw unauthorized('Sign in to the dashboard first');
  if (!req.dashboardSession.isPlatformAdmin)
    throw forbidden('Only platform operators can use the operator view');
  next();
};
