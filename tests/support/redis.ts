import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';

/**
 * The Redis URL for tests that need a real Redis. Locally they skip without one; in CI (CI=true) a
 * missing REDIS_URL is an error, so Redis tests can never be silently skipped there.
 */
export function testRedisUrl(): string | undefined {
  const url = process.env.REDIS_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but REDIS_URL is not set: Redis tests must run in CI (.ci/run starts redis-server).',
    );
  }
  return url;
}

/** Two key-value stores standing for two processes, and how to close both. */
export interface StorePair {
  a: KeyValueStore;
  b: KeyValueStore;
  close(): Promise<void>;
}

/**
 * The two ways a suite of cross-process behaviour runs: one in-memory store shared by both sides (one
 * process), and two Redis connections (two processes; skipped without REDIS_URL outside CI).
 */
export function storePairs(): Array<{ name: string; make: (() => StorePair) | null }> {
  const url = testRedisUrl();
  const logger = createLogger({ level: 'silent' });
  return [
    {
      name: 'in memory, one process',
      make: () => {
        const kv = createMemoryStore({ logger });
        return { a: kv, b: kv, close: () => kv.close() };
      },
    },
    {
      name: 'Redis, two processes',
      make: url
        ? () => {
            const a = createRedisStore(url, { logger });
            const b = createRedisStore(url, { logger });
            return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
          }
        : null,
    },
  ];
}
