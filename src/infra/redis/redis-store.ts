import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import {
  assertInteger,
  assertPositiveMs,
  type KeyValueStore,
  type MessageHandler,
  type SetOptions,
} from './key-value-store.js';
import {
  closeRedis,
  createRedisConnection,
  pingRedis,
  REDIS_KEY_PREFIX,
  watchErrors,
} from './redis-connection.js';

// Increments, and starts the window only when the key has no expiry yet (it is new), so later
// increments never extend the window. Returns the count and the window's remaining milliseconds.
const INCREMENT_WINDOW_LUA = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}`;

// Deletes the lock only while it still holds the caller's token: an expired lock that someone else
// has since taken must not be released by its previous owner.
const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

// GCRA (as gcra() in key-value-store.ts) on the server's clock: one round trip, atomic across processes.
// ARGV: interval ms, burst, max wait ms. Returns the wait, or -1 when it would exceed the max.
const RESERVE_RATE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - (math.max(1, tonumber(ARGV[2])) - 1) * interval - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return -1 end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now) + 1000)
return wait`;

interface ScriptedRedis extends Redis {
  loreReserveRate(key: string, intervalMs: number, burst: number, maxWaitMs: number): Promise<number>;
  loreIncrementWindow(key: string, by: number, windowMs: number): Promise<[number, number]>;
  loreReleaseLock(key: string, token: string): Promise<number>;
}

/** Creates the Redis-backed store (keys prefixed `lore:`); pub/sub uses its own duplicate connection. */
export function createRedisStore(url: string, opts: { logger?: Logger } = {}): KeyValueStore {
  const logger = opts.logger?.child({ component: 'redis-store' });
  const client = createRedisConnection(url, {
    connectionName: 'lore:store',
    keyPrefix: REDIS_KEY_PREFIX,
    maxRetriesPerRequest: 2,
    logger,
    autoPipelining: true,
  }) as ScriptedRedis;
  // defineCommand sends EVALSHA and falls back to EVAL once, so scripts are not resent on every call.
  client.defineCommand('loreIncrementWindow', { numberOfKeys: 1, lua: INCREMENT_WINDOW_LUA });
  client.defineCommand('loreReleaseLock', { numberOfKeys: 1, lua: RELEASE_LOCK_LUA });
  client.defineCommand('loreReserveRate', { numberOfKeys: 1, lua: RESERVE_RATE_LUA });

  const subscriptions = new Map<string, { handlers: Set<MessageHandler>; ready: Promise<unknown> }>();
  let subscriber: Redis | undefined;

  // ioredis applies keyPrefix to keys only, never to pub/sub channels, so channels are prefixed here.
  const channelName = (channel: string) => `${REDIS_KEY_PREFIX}${channel}`;

  function dispatch(channel: string, message: string): void {
    for (const handler of subscriptions.get(channel)?.handlers ?? []) {
      Promise.resolve()
        .then(() => handler(message))
        .catch((err: unknown) => logger?.error({ err, channel }, 'pub/sub handler failed'));
    }
  }

  function getSubscriber(): Redis {
    if (!subscriber) {
      // A subscribed connection cannot run other commands, so subscriptions get their own.
      subscriber = client.duplicate({ connectionName: 'lore:store-subscriber', enableAutoPipelining: false });
      watchErrors(subscriber, 'lore:store-subscriber', logger);
      subscriber.on('message', dispatch);
    }
    return subscriber;
  }

  async function set(key: string, value: string, setOpts: SetOptions = {}): Promise<boolean> {
    const { ttlMs, onlyIfAbsent = false } = setOpts;
    if (ttlMs === undefined) {
      const reply = onlyIfAbsent ? await client.set(key, value, 'NX') : await client.set(key, value);
      return reply === 'OK';
    }
    assertPositiveMs(ttlMs, 'ttlMs');
    const px = Math.ceil(ttlMs);
    const reply = onlyIfAbsent
      ? await client.set(key, value, 'PX', px, 'NX')
      : await client.set(key, value, 'PX', px);
    return reply === 'OK';
  }

  return {
    kind: 'redis',
    get: (key) => client.get(key),
    set,
    del: async (...keys) => (keys.length === 0 ? 0 : client.del(...keys)),
    take: (key) => client.getdel(key),

    async incrementWindow(key, by, windowMs) {
      assertInteger(by, 'by');
      assertPositiveMs(windowMs, 'windowMs');
      const [count, ttl] = await client.loreIncrementWindow(key, by, Math.ceil(windowMs));
      return { count: Number(count), resetAtMs: Date.now() + Number(ttl) };
    },

    async reserveRate(key, rate) {
      assertPositiveMs(rate.intervalMs, 'intervalMs');
      const wait = await client.loreReserveRate(
        key,
        Math.ceil(rate.intervalMs),
        Math.floor(rate.burst),
        Math.floor(rate.maxWaitMs),
      );
      return Number(wait);
    },

    async acquireLock(key, ttlMs) {
      const token = randomUUID();
      return (await set(key, token, { ttlMs, onlyIfAbsent: true })) ? token : null;
    },

    async releaseLock(key, token) {
      return (await client.loreReleaseLock(key, token)) === 1;
    },

    async publish(channel, message) {
      await client.publish(channelName(channel), message);
    },

    async subscribe(channel, handler) {
      const name = channelName(channel);
      let subscription = subscriptions.get(name);
      if (!subscription) {
        subscription = { handlers: new Set(), ready: getSubscriber().subscribe(name) };
        subscriptions.set(name, subscription);
      }
      subscription.handlers.add(handler);
      try {
        // Concurrent first subscribers all wait for the one SUBSCRIBE, so none returns before delivery works.
        await subscription.ready;
      } catch (err) {
        if (subscriptions.get(name) === subscription) subscriptions.delete(name);
        throw err;
      }
      let active = true;
      return async () => {
        if (!active) return;
        active = false;
        const current = subscriptions.get(name);
        if (!current?.handlers.delete(handler) || current.handlers.size > 0) return;
        subscriptions.delete(name);
        await subscriber?.unsubscribe(name);
      };
    },

    ping: () => pingRedis(client),

    async close() {
      await Promise.all([closeRedis(client), subscriber ? closeRedis(subscriber) : undefined]);
    },
  };
}
