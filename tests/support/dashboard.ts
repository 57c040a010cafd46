import type { Database } from '../../src/infra/db/database.js';
import { createDashboardSession } from '../../src/tenants/access/dashboard-sessions.service.js';
import { bodyOf, type JsonBody } from './http.js';

/** A signed-in browser: its session cookie and the CSRF token the dashboard echoes on writes. */
export interface Browser {
  cookie: string;
  csrf: string;
  /** fetch against the app with the cookie (and the CSRF token on writes unless `csrf: false`). */
  fetch(path: string, init?: RequestInit & { csrf?: boolean | string; json?: unknown }): Promise<Response>;
  /** The same, parsing the JSON body. */
  json(
    path: string,
    init?: RequestInit & { csrf?: boolean | string; json?: unknown },
  ): Promise<{ status: number; body: JsonBody }>;
}

/** The `name=value` part of a Set-Cookie header for `name` (undefined when it was not set). */
export function cookieFrom(res: Response, name: string): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
}

/** A browser holding `cookie`; reads its CSRF token from GET /api/session. */
export async function browserWith(baseUrl: string, cookie: string): Promise<Browser> {
  const send = (path: string, init: RequestInit & { csrf?: boolean | string; json?: unknown } = {}) => {
    const { csrf: useCsrf, json, ...rest } = init;
    const headers: Record<string, string> = { cookie, ...(rest.headers as Record<string, string>) };
    const method = (rest.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && useCsrf !== false)
      headers['x-csrf-token'] = typeof useCsrf === 'string' ? useCsrf : browser.csrf;
    if (json !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${baseUrl}${path}`, {
      ...rest,
      headers,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      redirect: 'manual',
    });
  };
  const browser: Browser = {
    cookie,
    csrf: '',
    fetch: send,
    async json(path, init) {
      const res = await send(path, init);
      return { status: res.status, body: res.status === 204 ? null : await bodyOf(res) };
    },
  };
  const session = await browser.json('/api/session');
  browser.csrf = session.body?.csrfToken ?? '';
  return browser;
}

/** Signs in through the embedded-mode dev sign-in (the demo workspace, as an admin and operator). */
export async function devSignIn(baseUrl: string): Promise<Browser> {
  const res = await fetch(`${baseUrl}/auth/dev-sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 200) throw new Error(`dev sign-in answered ${res.status}`);
  return browserWith(baseUrl, cookieFrom(res, 'lore_session') ?? '');
}

/** A session for any tenant and user, made the way a finished Sign in with Slack makes one. */
export async function sessionFor(
  baseUrl: string,
  db: Database,
  s: { tenantId: string | null; userId: string; isPlatformAdmin?: boolean },
): Promise<Browser> {
  const created = await createDashboardSession(db, {
    tenantId: s.tenantId,
    slackUserId: s.userId,
    userName: s.userId,
    isPlatformAdmin: s.isPlatformAdmin ?? false,
    via: 'test',
  });
  return browserWith(baseUrl, `lore_session=${created.id}`);
}
