import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { KeyValueStore } from '../../src/infra/redis/key-value-store.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { createRedisStore } from '../../src/infra/redis/redis-store.js';
import { createLogger } from '../../src/logger.js';
import { testRedisUrl } from '../support/redis.js';

const redisUrl = testRedisUrl();
const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The behaviour both adapters promise; each test works under its own random key prefix. */
function keyValueStoreContract(makeStore: () => KeyValueStore): void {
  let store: KeyValueStore;
  let ns: string;
  let used: string[] = [];
  const key = (name: string) => {
    used.push(`${ns}${name}`);
    return `${ns}${name}`;
  };

  beforeAll(() => {
    store = makeStore();
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    ns = `test:${randomUUID()}:`;
  });
  afterEach(async () => {
    // A shared Redis outlives the test run: leave nothing behind.
    await store.del(...used);
    used = [];
  });

  it('stores, overwrites and deletes values', async () => {
    expect(await store.get(key('a'))).toBeNull();
    expect(await store.set(key('a'), 'one')).toBe(true);
    expect(await store.get(key('a'))).toBe('one');
    expect(await store.set(key('a'), 'two')).toBe(true);
    expect(await store.get(key('a'))).toBe('two');
    expect(await store.del(key('a'), key('missing'))).toBe(1);
    expect(await store.get(key('a'))).toBeNull();
    expect(await store.del()).toBe(0);
  });

  it('expires a value after its ttl', async () => {
    await store.set(key('ttl'), 'soon gone', { ttlMs: 80 });
    await store.set(key('kept'), 'stays');
    expect(await store.get(key('ttl'))).toBe('soon gone');
    await sleep(150);
    expect(await store.get(key('ttl'))).toBeNull();
    expect(await store.get(key('kept'))).toBe('stays');
  });

  it('writes onlyIfAbsent once, and again after the first value expires', async () => {
    expect(await store.set(key('event'), 'first', { onlyIfAbsent: true, ttlMs: 80 })).toBe(true);
    expect(await store.set(key('event'), 'second', { onlyIfAbsent: true, ttlMs: 80 })).toBe(false);
    expect(await store.get(key('event'))).toBe('first');
    await sleep(150);
    expect(await store.set(key('event'), 'third', { onlyIfAbsent: true })).toBe(true);
    expect(await store.get(key('event'))).toBe('third');
  });

  it('take returns a value once', async () => {
    await store.set(key('state'), 'oauth-state', { ttlMs: 10_000 });
    expect(await store.take(key('state'))).toBe('oauth-state');
    expect(await store.take(key('state'))).toBeNull();
    expect(await store.get(key('state'))).toBeNull();
    expect(await store.take(key('never-set'))).toBeNull();
  });

  it('counts within a fixed window and starts a new window after it ends', async () => {
    const before = Date.now();
    const first = await store.incrementWindow(key('rate'), 1, 400);
    expect(first.count).toBe(1);
    expect(first.resetAtMs).toBeGreaterThanOrEqual(before + 360);
    expect(first.resetAtMs).toBeLessThanOrEqual(Date.now() + 400);

    await sleep(150);
    const second = await store.incrementWindow(key('rate'), 2, 400);
    expect(second.count).toBe(3);
    // Later increments must not push the window's end out (it would move by the 150 ms slept); Redis's end is read
    // as its remaining time plus this process's clock, so a loaded machine's round trip moves it a few ms.
    expect(Math.abs(second.resetAtMs - first.resetAtMs)).toBeLessThanOrEqual(60);

    await sleep(second.resetAtMs - Date.now() + 50);
    const third = await store.incrementWindow(key('rate'), 1, 400);
    expect(third.count).toBe(1);
    expect(third.resetAtMs).toBeGreaterThan(second.resetAtMs + 40);
  });

  it("keeps keys and a rate's budget when this process's wall clock jumps ahead and back", async () => {
    const rate = { intervalMs: 1_000, burst: 1, maxWaitMs: 5_000 };
    await store.set(key('dedupe'), '1', { ttlMs: 60_000 });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 11 * 60_000);
      // Eleven minutes on the wall clock are not eleven minutes of the key's life.
      expect(await store.get(key('dedupe'))).toBe('1');
      expect(await store.reserveRate(key('slack-budget'), rate)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    // Back on the real clock, the next use waits at most one interval: not refused (-1) as if the 11
    // minutes of the jump had been spent (a Slack call deferred, and the app's shutdown held behind it).
    const wait = await store.reserveRate(key('slack-budget'), rate);
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThanOrEqual(1_000);
  });

  it('lets one owner hold a lock, and only the owner release it', async () => {
    const token = await store.acquireLock(key('lock'), 5_000);
    expect(token).toEqual(expect.any(String));
    expect(await store.acquireLock(key('lock'), 5_000)).toBeNull();
    expect(await store.releaseLock(key('lock'), 'not-the-token')).toBe(false);
    expect(await store.acquireLock(key('lock'), 5_000)).toBeNull();
    expect(await store.releaseLock(key('lock'), token as string)).toBe(true);
    const next = await store.acquireLock(key('lock'), 5_000);
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(token);
  });

  it('frees an expired lock, and the old owner cannot release the new one', async () => {
    const old = await store.acquireLock(key('lock'), 80);
    expect(old).not.toBeNull();
    await sleep(150);
    const current = await store.acquireLock(key('lock'), 5_000);
    expect(current).not.toBeNull();
    expect(await store.releaseLock(key('lock'), old as string)).toBe(false);
    expect(await store.acquireLock(key('lock'), 5_000)).toBeNull();
  });

  it('delivers published messages to every subscriber until it unsubscribes', async () => {
    const channel = key('invalidate');
    const first: string[] = [];
    const second: string[] = [];
    const other: string[] = [];
    const stopFirst = await store.subscribe(channel, (m) => {
      first.push(m);
    });
    const stopSecond = await store.subscribe(channel, (m) => {
      second.push(m);
    });
    const stopOther = await store.subscribe(key('other'), (m) => {
      other.push(m);
    });

    await store.publish(channel, 'tenant-1');
    await vi.waitFor(() => expect(second).toEqual(['tenant-1']), { timeout: 2_000 });
    expect(first).toEqual(['tenant-1']);

    await stopFirst();
    await store.publish(channel, 'tenant-2');
    await vi.waitFor(() => expect(second).toEqual(['tenant-1', 'tenant-2']), { timeout: 2_000 });
    expect(first).toEqual(['tenant-1']);
    expect(other).toEqual([]);
    await Promise.all([stopSecond(), stopOther()]);
  });

  it('keeps delivering when one subscriber throws', async () => {
    const channel = key('faulty');
    const received: string[] = [];
    const stopBad = await store.subscribe(channel, () => {
      throw new Error('handler bug');
    });
    const stopGood = await store.subscribe(channel, (m) => {
      received.push(m);
    });
    await store.publish(channel, 'one');
    await store.publish(channel, 'two');
    await vi.waitFor(() => expect(received).toEqual(['one', 'two']), { timeout: 2_000 });
    await Promise.all([stopBad(), stopGood()]);
  });

  it('answers ping while open and reports unavailable once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    const other = makeStore();
    await other.ping();
    await other.close();
    await expect(other.ping()).rejects.toMatchObject({ code: 'unavailable' });
  });
}

describe('memory key-value store', () => {
  keyValueStoreContract(() => createMemoryStore());
});

describe.skipIf(!redisUrl)('redis key-value store', () => {
  keyValueStoreContract(() => createRedisStore(redisUrl as string, { logger }));
});

describe('redis key-value store with Redis down', () => {
  // Port 1 on loopback refuses connections: this needs no Redis server.
  const deadUrl = 'redis://127.0.0.1:1';

  it('fails ping and commands quickly instead of hanging', async () => {
    const store = createRedisStore(deadUrl, { logger });
    let started = Date.now();
    await expect(store.ping()).rejects.toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(3_000);
    started = Date.now();
    await expect(store.get('anything')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });
});
