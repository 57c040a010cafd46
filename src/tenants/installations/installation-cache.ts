import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';
import type { Logger } from '../../logger.js';
import type { LiveInstallations } from './installations.repo.js';

/**
 * Installation lookups happen on every Slack request, so they are cached twice: a small LRU in this
 * process and Redis shared by all processes. Entries hold ciphertexts only, never plaintext tokens.
 * Every change invalidates both, and tells the other processes over pub/sub to drop their LRU entries.
 */
export interface InstallationCache {
  /** The cached value for `id`, or what `loader` returns (then cached). */
  load(id: string, loader: () => Promise<LiveInstallations>): Promise<LiveInstallations>;
  /** Drops the ids here, in Redis and (via pub/sub) in every other process. */
  invalidate(ids: string[]): Promise<void>;
  /** Drops the ids from this process's LRU only (a re-read that must not trust it). */
  dropLocal(ids: string[]): void;
  /** Subscribes to invalidations from other processes. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The cache id of a Slack key string (`team:T1`) or a tenant id. */
export const cacheIdForKey = (slackKey: string) => `key:${slackKey}`;
export const cacheIdForTenant = (tenantId: string) => `tenant:${tenantId}`;

const CHANNEL = 'installations:invalidate';
const DATE_FIELDS = new Set(['botTokenExpiresAt', 'userTokenExpiresAt', 'installedAt']);

const redisKey = (id: string) => `installation:${id}`;
/** Invalidation counts kept per id; far more than loads in flight at any moment. */
const GENERATIONS_KEPT = 10_000;

function parse(raw: string): LiveInstallations {
  return JSON.parse(raw, (k, v) => (DATE_FIELDS.has(k) && typeof v === 'string' ? new Date(v) : v));
}

/** Creates the two-level cache; `ttlMs` bounds how stale an entry can get if an invalidation is lost. */
export function createInstallationCache(opts: {
  kv: KeyValueStore;
  logger: Logger;
  max?: number;
  localTtlMs?: number;
  sharedTtlMs?: number;
}): InstallationCache {
  const { kv } = opts;
  const logger = opts.logger.child({ component: 'installation-cache' });
  const lru = new LRUCache<string, LiveInstallations>({
    // 10,000 busy workspaces read from memory, by Slack key (web) and by tenant (worker; both in `all`). An
    // entry is ciphertexts and ids; with 10,000 of them the web bench's RSS holds its target (BENCHMARKS.md).
    max: opts.max ?? 20_000,
    ttl: opts.localTtlMs ?? 60_000,
  });
  const sharedTtlMs = opts.sharedTtlMs ?? 10 * 60_000;
  // Bumped on every invalidation: a load that started before it must not cache what it read. Bounded (a
  // process sees every install's invalidation, forever): when an id's count is evicted, `forgotten` moves
  // instead, so a load in flight across any eviction does not cache either.
  let forgotten = 0;
  const generations = new LRUCache<string, number>({
    max: GENERATIONS_KEPT,
    dispose: (_value, _key, reason) => {
      if (reason === 'evict') forgotten++;
    },
  });
  let unsubscribe: (() => Promise<void>) | undefined;
  // This cache's own invalidations come back over pub/sub too; they were applied already and are skipped,
  // or they would void loads that started after them.
  const origin = randomUUID();

  const generation = (id: string) => `${generations.get(id) ?? 0}:${forgotten}`;
  function dropLocal(ids: string[]): void {
    for (const id of ids) {
      lru.delete(id);
      generations.set(id, (generations.get(id) ?? 0) + 1);
    }
  }

  return {
    async load(id, loader) {
      const local = lru.get(id);
      if (local) return local;
      const gen = generation(id);
      // Redis being down must not take Slack down with it: fall through to the database.
      const raw = await kv.get(redisKey(id)).catch((err: unknown) => {
        logger.warn({ err }, 'installation cache read failed');
        return null;
      });
      if (raw) {
        const value = parse(raw);
        if (generation(id) === gen) lru.set(id, value);
        return value;
      }
      const value = await loader();
      if (generation(id) === gen) {
        lru.set(id, value);
        // Not awaited: the caller (an event's acknowledgement, at first sight of a workspace) has its value;
        // the shared copy is for the next lookup, and one connection's commands keep their order.
        void kv.set(redisKey(id), JSON.stringify(value), { ttlMs: sharedTtlMs }).catch((err: unknown) => {
          logger.warn({ err }, 'installation cache write failed');
        });
      }
      return value;
    },

    async invalidate(ids) {
      if (ids.length === 0) return;
      dropLocal(ids);
      try {
        await kv.del(...ids.map(redisKey));
        await kv.publish(CHANNEL, JSON.stringify({ origin, ids }));
      } catch (err) {
        // The change is already committed; entries elsewhere expire within their TTL.
        logger.error({ err, ids }, 'installation cache invalidation failed');
      }
    },

    dropLocal,

    async start() {
      unsubscribe ??= await kv.subscribe(CHANNEL, (message) => {
        const parsed = JSON.parse(message) as { origin?: unknown; ids?: unknown };
        if (parsed.origin === origin || !Array.isArray(parsed.ids)) return;
        dropLocal(parsed.ids.filter((x): x is string => typeof x === 'string'));
      });
    },

    async stop() {
      await unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
