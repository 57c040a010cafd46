import { type Request, Router } from 'express';
import type { HttpRateLimits } from '../../config.js';
import { type RateLimitDeps, type RateRule, rateLimit } from '../middleware/rate-limit.js';
import { readCookie, SESSION_COOKIE } from '../middleware/session-auth.js';

const MINUTE = 60_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The client's address: the TCP peer, or X-Forwarded-For's entry only as far as TRUST_PROXY trusts it. */
const addressOf = (req: Request) => `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
const bearerOf = (req: Request) => /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

/** The credential that signs a request: its API key, else its dashboard session, else its address. */
function credentialOf(req: Request): string {
  const key = bearerOf(req);
  if (key) return `key:${key}`;
  const session = readCookie(req, SESSION_COOKIE);
  return session ? `session:${session}` : addressOf(req);
}

const onlyWrites =
  (keyOf: RateRule['keyOf']): RateRule['keyOf'] =>
  (req) =>
    WRITES.has(req.method) ? keyOf(req) : undefined;

/**
 * Mounted before every browser and API route (never on `/slack/events`, which takes the lean webhook path:
 * Slack's deliveries are not limited). Reads are not limited; sign-in starts, writes and uploads are.
 */
export function rateLimitRoutes(deps: RateLimitDeps & { limits: HttpRateLimits }): Router {
  const { limits } = deps;
  const rule = (r: Omit<RateRule, 'windowMs'>) => rateLimit(deps, { ...r, windowMs: MINUTE });
  const router = Router();
  const signIn = rule({
    name: 'sign_in',
    limit: limits.signInPerMinute,
    keyOf: addressOf,
    message: 'Too many sign-in or install attempts from this address.',
  });
  router.get(['/auth/slack/login', '/slack/install'], signIn);
  router.post('/auth/dev-sign-in', signIn);
  router.post(
    '/admin/cli',
    rule({
      name: 'admin_cli',
      limit: limits.adminCliPerMinute,
      keyOf: addressOf,
      message: 'Too many operator commands from this address.',
    }),
  );
  router.use(
    '/api',
    rule({
      name: 'address',
      limit: limits.perAddressPerMinute,
      keyOf: onlyWrites(addressOf),
      message: 'Too many changes from this address.',
    }),
    rule({
      name: 'api_writes',
      limit: limits.apiWritesPerMinute,
      keyOf: onlyWrites(credentialOf),
      message: 'Too many changes with this session or API key.',
    }),
  );
  router.post(
    '/api/documents',
    rule({
      name: 'api_uploads',
      limit: limits.apiUploadsPerMinute,
      keyOf: (req) => bearerOf(req),
      message: 'Too many uploads with this API key.',
    }),
  );
  return router;
}
