import type { AuthorizeResult, AuthorizeSourceData } from '@slack/bolt';
import { notInstalled } from '../errors.js';
import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import type { InstallationRecord, TokenSet } from '../tenants/installations/installation.types.js';
import type { InstallationService } from '../tenants/installations/installations.service.js';
import { TOKEN_REFRESH_WINDOW_MS as REFRESH_WINDOW_MS } from '../tenants/installations/token-refresh.job.js';
import { type SlackKey, slackKeyString } from '../tenants/slack-key.js';
import { keyOfQuery } from './installation-store.js';

const LOCK_TTL_MS = 30_000;
const LOCK_WAIT_MS = 15_000;
const LOCK_POLL_MS = 50;

/** What Lore adds to Bolt's authorization context: the tenant and whether it is served. */
export interface LoreAuthorizeResult extends AuthorizeResult {
  tenantId: string;
  tenantStatus: InstallationRecord['tenantStatus'];
}

export type LoreAuthorize = (source: AuthorizeSourceData<boolean>) => Promise<LoreAuthorizeResult>;

const expiresSoon = (t: TokenSet | null | undefined, now: number) =>
  Boolean(t?.refreshToken && t.expiresAt && t.expiresAt.getTime() - now <= REFRESH_WINDOW_MS);

/** True when the record holds a rotated token that Bolt would refresh now. */
export function needsRefresh(r: InstallationRecord, now = Date.now()): boolean {
  return expiresSoon(r.bot, now) || expiresSoon(r.user.tokens, now);
}

function toResult(r: InstallationRecord, source: AuthorizeSourceData<boolean>): AuthorizeResult {
  return {
    botToken: r.bot?.token,
    botId: r.bot?.id,
    botUserId: r.bot?.userId,
    botRefreshToken: r.bot?.refreshToken,
    botTokenExpiresAt: r.bot?.expiresAt ? Math.floor(r.bot.expiresAt.getTime() / 1000) : undefined,
    userToken: r.user.tokens?.token,
    teamId: r.teamId ?? source.teamId,
    enterpriseId: r.enterpriseId ?? source.enterpriseId,
  };
}

const notInstalledFor = (key: SlackKey) => notInstalled(`No installation for ${slackKeyString(key)}`);

/**
 * Bolt's `authorize` for Lore. The common case is served from the cached installation. When a rotated token
 * is about to expire, the refresh runs through Bolt's own installer (`boltAuthorize`), but only under a
 * per-installation lock, and after re-reading the installation once the lock is held: two requests (or
 * processes) never spend the same single-use refresh token. Whoever waits for the lock re-reads and uses
 * the token the holder stored.
 */
export function createAuthorize(deps: {
  installations: InstallationService;
  kv: KeyValueStore;
  logger: Logger;
  /** InstallProvider#authorize: fetches, refreshes expiring tokens through oauth.v2.access, stores. */
  boltAuthorize?: (source: AuthorizeSourceData<boolean>) => Promise<AuthorizeResult>;
}): LoreAuthorize {
  const logger = deps.logger.child({ component: 'slack-authorize' });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function waitForRelease(lockKey: string): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    while (Date.now() < deadline && (await deps.kv.get(lockKey)) !== null) await sleep(LOCK_POLL_MS);
  }

  async function refreshUnderLock(
    key: SlackKey,
    record: InstallationRecord,
    source: AuthorizeSourceData<boolean>,
  ): Promise<AuthorizeResult> {
    const boltAuthorize = deps.boltAuthorize;
    if (!boltAuthorize) return toResult(record, source);
    const lockKey = `lock:token-refresh:${slackKeyString(key)}`;
    const lock = await deps.kv.acquireLock(lockKey, LOCK_TTL_MS);
    if (!lock) await waitForRelease(lockKey);
    try {
      // Re-read past every cache: the holder of the lock may have stored new tokens a moment ago.
      await deps.installations.invalidate(record.tenantId, key);
      const fresh = await deps.installations.find(key, source.userId);
      if (!fresh) throw notInstalledFor(key);
      if (!needsRefresh(fresh) || !lock) return toResult(fresh, source);
      logger.info({ tenantId: fresh.tenantId }, 'refreshing a rotated token');
      // Bolt fetches again (now from the fresh cache), refreshes, and stores through our installation store.
      return await boltAuthorize(source);
    } finally {
      if (lock) await deps.kv.releaseLock(lockKey, lock).catch(() => false);
    }
  }

  return async (source) => {
    const key = keyOfQuery(source);
    const record = await deps.installations.find(key, source.userId);
    if (!record) throw notInstalledFor(key);
    const result = needsRefresh(record)
      ? await refreshUnderLock(key, record, source)
      : toResult(record, source);
    return { ...result, tenantId: record.tenantId, tenantStatus: record.tenantStatus };
  };
}
