import { createHash, randomBytes } from 'node:crypto';
import express, { type Response, Router } from 'express';
import type { Config } from '../../../config.js';
import {
  type AuthOptionsDto,
  chooseWorkspaceBody,
  type PendingChoiceDto,
  type SignInError,
  signInCallbackQuery,
  signInQuery,
} from '../../../contracts/session.contract.js';
import { isAppError, notFound } from '../../../errors.js';
import type { Database } from '../../../infra/db/database.js';
import type { KeyValueStore } from '../../../infra/redis/key-value-store.js';
import {
  type AllowedWorkspace,
  findAccessibleWorkspaces,
  findMemberWorkspaces,
  type SignInIdentity,
  type WorkspaceRoleCheck,
} from '../../../tenants/access/dashboard-access.service.js';
import { createReaderSession, READER_SESSION_TTL_MS } from '../../../tenants/access/reader-sessions.js';
import { cookieOptions, READER_COOKIE, readCookie } from '../../middleware/session-auth.js';
import { parseInput } from '../../middleware/validate.js';
import { devSignInRoute } from './dev-sign-in.route.js';
import { createSessionStarter } from './session-starter.js';
import { switchWorkspaceRoutes } from './switch-workspace.route.js';

/** Sign in with Slack, as the HTTP layer needs it (implemented in src/slack/sign-in-with-slack.ts). */
export interface SignInProvider {
  authorizeUrl(p: { state: string; nonce: string; team?: string }): string;
  exchange(
    code: string,
    nonce: string,
  ): Promise<{
    userId: string;
    teamId: string;
    enterpriseId: string | null;
    name: string;
    teamName: string;
    teamImageUrl?: string | null;
  }>;
}

export interface SignInDeps {
  db: Database;
  kv: KeyValueStore;
  config: Pick<Config, 'publicUrl' | 'platformAdmins' | 'embedded' | 'isProduction'>;
  /** Undefined when the Slack app is not configured (no client id/secret). */
  signIn: SignInProvider | undefined;
  roleOf: WorkspaceRoleCheck;
}

const STATE_TTL_MS = 10 * 60 * 1000;
const BINDING_COOKIE = 'lore_signin';
const PICK_COOKIE = 'lore_pick';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const random = () => randomBytes(24).toString('base64url');

interface PendingSignIn {
  nonce: string;
  binding: string;
  /** Set when a member signs in to read a cited source (`/read/...`) rather than to open the dashboard. */
  next?: string;
}

interface PendingPick {
  userId: string;
  userName: string;
  isPlatformAdmin: boolean;
  workspaces: AllowedWorkspace[];
  teamId: string;
  teamImageUrl: string | null;
}

/** The icon Sign in with Slack showed belongs to the workspace signed in with, not to an org-wide install. */
const iconFor = (w: AllowedWorkspace, teamId: string, url: string | null | undefined) =>
  w.slackTeamId === teamId ? (url ?? null) : null;

const signInExpired = () => notFound('Sign-in', 'This sign-in has expired: sign in again');

/** Sends the browser to the sign-in page with a reason it can explain. */
function toSignInPage(res: Response, error: SignInError, extra: Record<string, string> = {}): void {
  res.redirect(303, `/app/sign-in?${new URLSearchParams({ error, ...extra }).toString()}`);
}

/**
 * `/auth`: Sign in with Slack (OpenID Connect, single-use state and nonce bound to the browser), the
 * workspace picker for people who may open several, the embedded-only dev sign-in, and the switch between
 * workspaces this browser signed in to. Signing in while signed in adds a workspace to the switcher.
 */
export function signInRoutes(deps: SignInDeps): Router {
  const router = Router();
  const json = express.json({ limit: '4kb' });
  const { config } = deps;

  const startSession = createSessionStarter(deps);

  /** A member of a workspace Lore serves gets a reader session (no dashboard, no writes) and their page. */
  async function startReading(
    res: Response,
    identity: SignInIdentity & { name: string; teamName: string },
    next: string,
  ) {
    const tenantIds = await findMemberWorkspaces(deps.db, identity);
    if (tenantIds.length === 0) return toSignInPage(res, 'not_installed', { team: identity.teamName });
    const id = await createReaderSession(deps.kv, {
      tenantIds,
      slackUserId: identity.userId,
      userName: identity.name,
    });
    res.cookie(READER_COOKIE, id, {
      ...cookieOptions(config.publicUrl, READER_SESSION_TTL_MS),
      path: '/read',
    });
    res.redirect(303, next);
  }

  router.get('/auth/options', (_req, res) => {
    const body: AuthOptionsDto = {
      slackSignIn: Boolean(deps.signIn),
      devSignIn: config.embedded && !config.isProduction,
    };
    res.json(body);
  });

  router.get('/auth/slack/login', async (req, res) => {
    if (!deps.signIn) return toSignInPage(res, 'not_configured');
    const { team, next } = parseInput(signInQuery, req.query);
    const state = random();
    const nonce = random();
    const binding = random();
    const pending: PendingSignIn = { nonce, binding: sha256(binding), next };
    await deps.kv.set(`dashboard:signin:${state}`, JSON.stringify(pending), { ttlMs: STATE_TTL_MS });
    res.cookie(BINDING_COOKIE, binding, cookieOptions(config.publicUrl, STATE_TTL_MS));
    res.redirect(302, deps.signIn.authorizeUrl({ state, nonce, team }));
  });

  router.get('/auth/slack/callback', async (req, res) => {
    if (!deps.signIn) return toSignInPage(res, 'not_configured');
    const q = parseInput(signInCallbackQuery, req.query);
    res.clearCookie(BINDING_COOKIE, cookieOptions(config.publicUrl));
    // Taken first, whatever happens next: a state is good for one attempt only.
    const raw = q.state ? await deps.kv.take(`dashboard:signin:${q.state}`) : null;
    if (q.error) return toSignInPage(res, 'cancelled');
    const pending = raw ? (JSON.parse(raw) as PendingSignIn) : null;
    const binding = readCookie(req, BINDING_COOKIE);
    if (!pending || !binding || sha256(binding) !== pending.binding || !q.code)
      return toSignInPage(res, 'expired');
    let identity: Awaited<ReturnType<SignInProvider['exchange']>>;
    try {
      identity = await deps.signIn.exchange(q.code, pending.nonce);
    } catch (err) {
      req.log?.warn(
        { err: isAppError(err) ? { code: err.code, message: err.message } : err },
        'sign in with slack failed',
      );
      return toSignInPage(res, 'failed');
    }
    if (pending.next) return startReading(res, identity, pending.next);
    const isPlatformAdmin = config.platformAdmins.includes(identity.userId);
    const access = await findAccessibleWorkspaces(deps.db, identity, deps.roleOf);
    const base = { userId: identity.userId, userName: identity.name, isPlatformAdmin, via: 'slack' };
    const [only, ...more] = access.allowed;
    if (only && more.length === 0) {
      const teamIconUrl = iconFor(only, identity.teamId, identity.teamImageUrl);
      await startSession(req, res, { ...base, tenantId: only.tenantId, teamIconUrl });
      return res.redirect(303, '/app');
    }
    if (only) {
      const pick = random();
      const value: PendingPick = {
        userId: identity.userId,
        userName: identity.name,
        isPlatformAdmin,
        workspaces: access.allowed,
        teamId: identity.teamId,
        teamImageUrl: identity.teamImageUrl ?? null,
      };
      await deps.kv.set(`dashboard:pick:${pick}`, JSON.stringify(value), { ttlMs: STATE_TTL_MS });
      res.cookie(PICK_COOKIE, pick, cookieOptions(config.publicUrl, STATE_TTL_MS));
      return res.redirect(303, '/app/choose-workspace');
    }
    if (isPlatformAdmin) {
      await startSession(req, res, { ...base, tenantId: null });
      return res.redirect(303, '/app/operator');
    }
    const team = { team: identity.teamName };
    if (access.installed === 0) return toSignInPage(res, 'not_installed', team);
    if (access.suspended === access.installed) return toSignInPage(res, 'suspended', team);
    return toSignInPage(res, 'not_admin', team);
  });

  router.get('/auth/pending', async (req, res) => {
    const pick = readCookie(req, PICK_COOKIE);
    const raw = pick ? await deps.kv.get(`dashboard:pick:${pick}`) : null;
    if (!raw) throw signInExpired();
    const p = JSON.parse(raw) as PendingPick;
    const body: PendingChoiceDto = {
      userName: p.userName,
      workspaces: p.workspaces.map((w) => ({ tenantId: w.tenantId, name: w.name, role: w.role })),
    };
    res.json(body);
  });

  router.post('/auth/choose', json, async (req, res) => {
    const { tenantId } = parseInput(chooseWorkspaceBody, req.body ?? {});
    const pick = readCookie(req, PICK_COOKIE);
    const raw = pick ? await deps.kv.take(`dashboard:pick:${pick}`) : null;
    res.clearCookie(PICK_COOKIE, cookieOptions(config.publicUrl));
    const p = raw ? (JSON.parse(raw) as PendingPick) : null;
    const chosen = p?.workspaces.find((w) => w.tenantId === tenantId);
    if (!p || !chosen) throw signInExpired();
    await startSession(req, res, {
      tenantId: chosen.tenantId,
      userId: p.userId,
      userName: p.userName,
      isPlatformAdmin: p.isPlatformAdmin,
      via: 'slack',
      teamIconUrl: iconFor(chosen, p.teamId, p.teamImageUrl),
    });
    res.json({ redirect: '/app' });
  });

  router.use(switchWorkspaceRoutes(deps));

  // Registered only where it may exist at all; the handler checks again.
  if (config.embedded && !config.isProduction) {
    router.post('/auth/dev-sign-in', json, devSignInRoute({ ...deps, startSession }));
  }
  return router;
}
