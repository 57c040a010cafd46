import type { KeyValueStore } from '../infra/redis/key-value-store.js';
import type { Logger } from '../logger.js';
import type { ClientFactory } from './client-factory.js';

/** The channels a member is in, as far as Lore's bot can see them; [] when Slack could not say. */
export type MemberChannels = (tenantId: string, userId: string) => Promise<string[]>;

// users.conversations is Tier 3; a member in more than 3,000 channels is read up to there.
const PAGE_SIZE = 1_000;
const MAX_PAGES = 3;
/** Short: leaving a channel should soon close its collections to the member. */
const TTL_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

/**
 * Lists the public and private channels a member belongs to (`users.conversations` with the bot token:
 * private channels only where the bot is a member too, which are the only ones Lore answers in). Cached
 * per member. Any failure counts as "no channels", so the member falls back to the workspace default:
 * it fails closed.
 */
export function createMemberChannels(deps: {
  clients: Pick<ClientFactory, 'getClient'>;
  kv: KeyValueStore;
  logger: Logger;
}): MemberChannels {
  return async (tenantId, userId) => {
    const key = `slack-member-channels:${tenantId}:${userId}`;
    const cached = await deps.kv.get(key);
    if (cached) return JSON.parse(cached) as string[];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`users.conversations took longer than ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
    });
    try {
      const client = await deps.clients.getClient(tenantId);
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await Promise.race([
          client.users.conversations({
            user: userId,
            types: 'public_channel,private_channel',
            exclude_archived: true,
            limit: PAGE_SIZE,
            cursor,
          }),
          timeout,
        ]);
        for (const ch of res.channels ?? []) if (ch.id) ids.push(ch.id);
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      await deps.kv.set(key, JSON.stringify(ids), { ttlMs: TTL_MS });
      return ids;
    } catch (err) {
      deps.logger.warn({ tenantId, err: { message: (err as Error).message } }, 'users.conversations failed');
      return [];
    } finally {
      clearTimeout(timer);
    }
  };
}
