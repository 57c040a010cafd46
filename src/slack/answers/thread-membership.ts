import { hasThreadConversation } from '../../ai/answers.repo.js';
import type { Database } from '../../infra/db/database.js';
import { withTenant } from '../../infra/db/transaction.js';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';

const IN_THREAD_TTL_MS = 7 * 24 * 60 * 60_000;
// "Not in this thread" is cached briefly: a mention in that thread marks it at once anyway.
const NOT_IN_THREAD_TTL_MS = 10 * 60_000;

/** Whether Lore takes part in a channel thread: decides if an un-mentioned reply there is a follow-up. */
export interface ThreadMembership {
  isIn(tenantId: string, channelId: string, threadTs: string): Promise<boolean>;
  /** Marks a thread as one Lore answers in (a mention there was just queued). */
  join(tenantId: string, channelId: string, threadTs: string): Promise<void>;
}

/**
 * Every message in every thread of a channel Lore is in reaches the message listener, so the check is
 * cached in Redis (one GET for the common case); a miss reads lore.conversations once.
 */
export function createThreadMembership(deps: { db: Database; kv: KeyValueStore }): ThreadMembership {
  const key = (tenantId: string, channelId: string, threadTs: string) =>
    `thread:${tenantId}:${channelId}:${threadTs}`;
  return {
    async isIn(tenantId, channelId, threadTs) {
      const k = key(tenantId, channelId, threadTs);
      const cached = await deps.kv.get(k);
      if (cached !== null) return cached === '1';
      const found = await withTenant(deps.db, tenantId, (c) => hasThreadConversation(c, channelId, threadTs));
      await deps.kv.set(k, found ? '1' : '0', { ttlMs: found ? IN_THREAD_TTL_MS : NOT_IN_THREAD_TTL_MS });
      return found;
    },
    async join(tenantId, channelId, threadTs) {
      await deps.kv.set(key(tenantId, channelId, threadTs), '1', { ttlMs: IN_THREAD_TTL_MS });
    },
  };
}
