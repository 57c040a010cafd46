import { createHash } from 'node:crypto';
import type { FetchFunction } from '@slack/web-api';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../logger.js';
import { BROKEN_TOKEN_ERRORS } from '../tenants/installations/installation-health.service.js';
import { methodOf } from './rate-limits.js';

/** Called once per refused call with the tenant whose token Slack refused. */
export type OnBrokenToken = (b: {
  tenantId: string;
  errorCode: string;
  method: string;
  /** The refused token (in memory only): the caller checks it is still the installation's. */
  token: string;
}) => Promise<void>;

/**
 * Spots Slack refusing a token (invalid_auth, account_inactive, token_revoked, not_authed) on any Web API
 * call, whichever WebClient made it (Bolt's per-request clients or the jobs' client factory): every Slack
 * client gets its token from `authorize`, which tells the watch whose token it is, and every client sends
 * its calls through the watch's fetch. The map is keyed by a hash of the token, so it holds no token.
 */
export interface TokenWatch {
  remember(token: string, tenantId: string): void;
  /** A fetch that reports a refused, remembered token before handing the reply back to the client. */
  wrap(inner: FetchFunction): FetchFunction;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The bearer token of a Web API call, if any. */
export function bearerOf(headers: Record<string, string> | undefined): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value.startsWith('Bearer ')) return value.slice(7);
  }
  return undefined;
}

export function createTokenWatch(deps: { onBroken: OnBrokenToken; logger: Logger }): TokenWatch {
  const owners = new LRUCache<string, string>({ max: 5_000 });

  async function inspect(url: string | URL, token: string, reply: Response): Promise<void> {
    const tenantId = owners.get(hashOf(token));
    if (!tenantId || !reply.headers.get('content-type')?.includes('json')) return;
    const body = (await reply.json().catch(() => null)) as { ok?: boolean; error?: unknown } | null;
    if (body?.ok !== false || typeof body.error !== 'string' || !BROKEN_TOKEN_ERRORS.has(body.error)) return;
    await deps.onBroken({ tenantId, errorCode: body.error, method: methodOf(url), token });
  }

  return {
    remember(token, tenantId) {
      owners.set(hashOf(token), tenantId);
    },
    wrap(inner) {
      return async (url, init) => {
        const res = await inner(url, init);
        const token = bearerOf(init?.headers);
        // Slack answers refusals with HTTP 200 and ok:false; nothing else needs a look.
        if (token && res.status === 200 && res instanceof Response) {
          await inspect(url, token, res.clone()).catch((err: unknown) =>
            deps.logger.error({ err }, 'could not record a refused Slack token'),
          );
        }
        return res;
      };
    },
  };
}
