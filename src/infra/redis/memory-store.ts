import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { unavailable } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  assertInteger,
  assertPositiveMs,
  gcra,
  type KeyValueStore,
  type MessageHandler,
  type SetOptions,
} from './key-value-store.js';

interface Entry {
  value: string;
  /** Epoch ms after which the entry no longer exists; undefined means it never expires. */
  expiresAt?: number;
}

/** Sweeps run after this many writes at least, so their cost stays constant per write. */
const MIN_WRITES_BETWEEN_SWEEPS = 1_000;

/**
 * The store's clock: monotonic, as Redis's own clock is to the Redis store. A jump of this process's wall
 * clock (NTP, or a test moving Date 11 minutes ahead) must neither expire keys nor move rate budgets. It
 * did: a Slack call made during such a jump left its workspace 11 minutes "over budget" after it.
 */
const now = () => performance.timeOrigin + performance.now();

/**
 * Creates the in-process store for embedded single-process mode. Keys expire by the store's clock, checked
 * when read; no timers run, so the store never keeps the process alive.
 */
export function createMemoryStore(opts: { logger?: Logger } = {}): KeyValueStore {
  const logger = opts.logger?.child({ component: 'memory-store' });
  const entries = new Map<string, Entry>();
  const bus = new EventEmitter();
  // Any number of in-process caches may listen on one channel; that is not a leak.
  bus.setMaxListeners(0);
  // Namespaced so a channel called 'error' is not EventEmitter's special event, which throws unheard.
  const eventName = (channel: string) => `channel:${channel}`;
  let writesSinceSweep = 0;
  let closed = false;

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  // Keys written once and never read again (de-duplication ids) would otherwise stay forever.
  function write(key: string, entry: Entry): void {
    entries.set(key, entry);
    writesSinceSweep += 1;
    if (writesSinceSweep < Math.max(MIN_WRITES_BETWEEN_SWEEPS, entries.size)) return;
    writesSinceSweep = 0;
    const at = now();
    for (const [k, e] of entries) {
      if (e.expiresAt !== undefined && e.expiresAt <= at) entries.delete(k);
    }
  }

  async function set(key: string, value: string, opts: SetOptions = {}): Promise<boolean> {
    if (opts.ttlMs !== undefined) assertPositiveMs(opts.ttlMs, 'ttlMs');
    if (opts.onlyIfAbsent && live(key)) return false;
    write(key, { value, expiresAt: opts.ttlMs === undefined ? undefined : now() + opts.ttlMs });
    return true;
  }

  return {
    kind: 'memory',

    async get(key) {
      return live(key)?.value ?? null;
    },

    set,

    async del(...keys) {
      let deleted = 0;
      for (const key of keys) {
        if (live(key) && entries.delete(key)) deleted += 1;
      }
      return deleted;
    },

    async take(key) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value ?? null;
    },

    async incrementWindow(key, by, windowMs) {
      assertInteger(by, 'by');
      assertPositiveMs(windowMs, 'windowMs');
      const entry = live(key);
      const current = entry ? Number(entry.value) : 0;
      if (!Number.isSafeInteger(current)) {
        // Same failure as Redis INCRBY on a non-counter, so a key clash shows up in embedded mode too.
        throw new Error(`ERR value is not an integer or out of range (key ${key})`);
      }
      const expiresAt = entry?.expiresAt ?? now() + windowMs;
      const count = current + by;
      write(key, { value: String(count), expiresAt });
      // Callers compare the window's end with Date.now() (Retry-After, "try again at"): wall time out.
      return { count, resetAtMs: Date.now() + (expiresAt - now()) };
    },

    async reserveRate(key, rate) {
      assertPositiveMs(rate.intervalMs, 'intervalMs');
      const stored = live(key);
      const next = gcra(stored ? Number(stored.value) : null, now(), rate);
      if (next.wait >= 0) write(key, { value: String(next.tat), expiresAt: next.tat + 1_000 });
      return next.wait;
    },

    async acquireLock(key, ttlMs) {
      const token = randomUUID();
      return (await set(key, token, { ttlMs, onlyIfAbsent: true })) ? token : null;
    },

    async releaseLock(key, token) {
      if (live(key)?.value !== token) return false;
      return entries.delete(key);
    },

    async publish(channel, message) {
      // Delivered on a later tick, as over Redis, so a publisher never runs subscribers re-entrantly.
      setImmediate(() => bus.emit(eventName(channel), message));
    },

    async subscribe(channel, handler: MessageHandler) {
      const listener = (message: string) => {
        Promise.resolve()
          .then(() => handler(message))
          // As with Redis, one failing handler never breaks delivery to the others.
          .catch((err: unknown) => logger?.error({ err, channel }, 'pub/sub handler failed'));
      };
      bus.on(eventName(channel), listener);
      return async () => {
        bus.off(eventName(channel), listener);
      };
    },

    async ping() {
      if (closed) throw unavailable('The in-memory store is closed');
    },

    async close() {
      closed = true;
      bus.removeAllListeners();
    },
  };
}
