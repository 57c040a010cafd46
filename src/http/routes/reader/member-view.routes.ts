import { type Request, Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../infra/db/database.js';
import type { KeyValueStore } from '../../../infra/redis/key-value-store.js';
import { type Reader, readDocumentAs } from '../../../knowledge/collections/member-reading.service.js';
import type { MemberChannels } from '../../../slack/member-channels.js';
import { resolveDashboardSession } from '../../../tenants/access/dashboard-sessions.service.js';
import { resolveReaderSession } from '../../../tenants/access/reader-sessions.js';
import { READER_COOKIE, readCookie, SESSION_COOKIE } from '../../middleware/session-auth.js';
import type { SessionRecheck } from '../../middleware/session-recheck.js';
import { memberViewPage, notAvailablePage, signInNeededPage } from './member-view.html.js';

export interface MemberViewDeps {
  db: Database;
  kv: KeyValueStore;
  memberChannels: MemberChannels;
  /** False where Sign in with Slack is not configured: a reader without a session is told so. */
  slackSignIn: boolean;
  /** The dashboard's own re-check of a session's rights: an admin who lost the role reads as a member. */
  recheckSession?: SessionRecheck;
}

const params = z.object({ id: z.uuid() });
const query = z.object({ chunk: z.coerce.number().int().min(0).max(1_000_000).optional() });

/** Everyone who may read in each workspace: a dashboard session reads as an admin, a reader session as a member. */
async function readersOf(
  deps: MemberViewDeps,
  req: Request,
): Promise<Array<{ tenantId: string; reader: () => Promise<Reader> }> | null> {
  const dashboardId = readCookie(req, SESSION_COOKIE);
  const resolved = dashboardId ? await resolveDashboardSession(deps.db, dashboardId) : null;
  const dashboard = resolved && deps.recheckSession ? await deps.recheckSession(resolved) : resolved;
  if (dashboard?.tenantId && dashboard.tenantStatus === 'active') {
    return [{ tenantId: dashboard.tenantId, reader: async () => ({ kind: 'admin' }) }];
  }
  const readerId = readCookie(req, READER_COOKIE);
  const member = readerId ? await resolveReaderSession(deps.kv, readerId) : null;
  if (!member) return null;
  return member.tenantIds.map((tenantId) => ({
    tenantId,
    reader: async () => ({
      kind: 'member',
      channelIds: await deps.memberChannels(tenantId, member.slackUserId),
    }),
  }));
}

/**
 * `/read/documents/:id`: the member view citations link to. Any member of the workspace signs in with Slack
 * and reads a document of a collection their channels (or DMs) may use, read-only; the cited passage is
 * outlined (`?chunk=N#chunk-N`). Anything else is the same 404 page.
 */
export function memberViewRoutes(deps: MemberViewDeps): Router {
  const router = Router();
  router.get('/read/documents/:id', async (req, res) => {
    res.set('cache-control', 'private, no-store');
    const id = params.safeParse(req.params);
    const at = query.safeParse(req.query);
    if (!id.success || !at.success) return void res.status(404).type('html').send(notAvailablePage());
    const readers = await readersOf(deps, req);
    if (!readers) {
      if (!deps.slackSignIn) return void res.status(401).type('html').send(signInNeededPage());
      const next = `/read/documents/${id.data.id}${at.data.chunk === undefined ? '' : `?chunk=${at.data.chunk}`}`;
      return res.redirect(303, `/auth/slack/login?${new URLSearchParams({ next })}`);
    }
    for (const r of readers) {
      const view = await readDocumentAs(
        deps.db,
        r.tenantId,
        id.data.id,
        await r.reader(),
        at.data.chunk ?? 0,
      );
      if (view) return void res.type('html').send(memberViewPage(view, `/read/documents/${view.id}`));
    }
    res.status(404).type('html').send(notAvailablePage());
  });
  return router;
}
