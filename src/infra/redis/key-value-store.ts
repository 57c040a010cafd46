/**
 * The shared key-value service Lore needs from Redis: cache, event de-duplication, single-use OAuth
 * state, fixed-window counters, locks and cross-process invalidation. Two adapters implement it:
 * Redis (`redis-store.ts`) and an in-process one for embedded mode (`memory-store.ts`).
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  /** The value, or null when the key is missing or expired. */
  get(key: string): Promise<string | null>;
  /** Writes the value; true when written (false only when `onlyIfAbsent` found the key taken). */
  set(key: string, value: string, opts?: SetOptions): Promise<boolean>;
  /** Deletes the keys; the number that existed. */
  del(...keys: string[]): Promise<number>;
  /** Atomically reads and deletes a key, so a value (an OAuth state) can be used once. */
  take(key: string): Promise<string | null>;
  /** Atomically adds `by` to a fixed-window counter; the window starts with the key's first increment. */
  incrementWindow(key: string, by: number, windowMs: number): Promise<WindowCount>;
  /**
   * Reserves the next use of a rate (`burst` at once, then one every `intervalMs`; GCRA): how many ms to
   * wait before using it (0: now), or -1, nothing reserved, when that wait would exceed `maxWaitMs`.
   */
  reserveRate(key: string, rate: RateSpec): Promise<number>;
  /** Takes a lock for `ttlMs`; the owner's token, or null when someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases a lock only if `token` still owns it; true when released. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /** Sends a message to every subscriber of the channel, in every process. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on the channel; resolves to a function that unsubscribes. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  /** Resolves when the store answers; throws (AppError `unavailable`) when it does not. */
  ping(): Promise<void>;
  /** Closes connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

export interface SetOptions {
  /** Expire the key after this many milliseconds. */
  ttlMs?: number;
  /** Write only when the key does not exist (Redis `SET NX`). */
  onlyIfAbsent?: boolean;
}

export interface RateSpec {
  /** Steady spacing between uses. */
  intervalMs: number;
  /** Uses allowed back to back after a quiet spell (at least 1). */
  burst: number;
  /** The longest wait a caller accepts; beyond it nothing is reserved. */
  maxWaitMs: number;
}

/** GCRA on a theoretical arrival time `tat` (ms): the wait for one more use now, or -1, and the new tat. */
export function gcra(tat: number | null, now: number, rate: RateSpec): { wait: number; tat: number } {
  const from = Math.max(tat ?? now, now);
  const wait = Math.max(0, from - (Math.max(1, rate.burst) - 1) * rate.intervalMs - now);
  if (wait > rate.maxWaitMs) return { wait: -1, tat: from };
  return { wait, tat: from + rate.intervalMs };
}

export interface WindowCount {
  /** The counter after this increment. */
  count: number;
  /** Epoch milliseconds at which the window (and the counter) ends. */
  resetAtMs: number;
}

export type MessageHandler = (message: string) => void | Promise<void>;

/** Throws unless a duration is positive: Redis rejects PX 0, and a silent no-TTL key would leak. */
export function assertPositiveMs(ms: number, name: string): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${ms}`);
  }
}

/** Throws unless `n` is an integer: Redis INCRBY accepts nothing else, and both adapters must agree. */
export function assertInteger(n: number, name: string): void {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`${name} must be an integer, got ${n}`);
  }
}
