import { Redis, type RedisOptions } from 'ioredis';
import { unavailable } from '../../errors.js';
import type { Logger } from '../../logger.js';

/** Every key and channel Lore owns starts with this, so Lore can share a Redis with other apps. */
export const REDIS_KEY_PREFIX = 'lore:';

/** How long a health check waits for PONG before calling Redis unreachable. */
const PING_TIMEOUT_MS = 2_000;
/** How long a graceful QUIT may take before the socket is simply dropped. */
const QUIT_TIMEOUT_MS = 1_000;

export interface RedisConnectionOptions {
  /** Shown by `CLIENT LIST`, so an operator can tell Lore's connections apart. */
  connectionName: string;
  logger?: Logger;
  keyPrefix?: string;
  /**
   * Reconnect attempts a command survives before it fails. Small for request-path connections (a dead
   * Redis must fail fast, not hang a Slack ack); null for BullMQ workers, which require it.
   */
  maxRetriesPerRequest: number | null;
  lazyConnect?: boolean;
  /**
   * ioredis's auto-pipelining: the commands issued during one turn of the event loop (by every request in it)
   * go to Redis in one write. For request-path connections, where each socket write costs more CPU than the
   * command; never for BullMQ's own connections (reported to break its job locks) or a blocking read.
   */
  autoPipelining?: boolean;
}

/** Opens an ioredis connection that logs its errors instead of printing them unhandled. */
export function createRedisConnection(url: string, opts: RedisConnectionOptions): Redis {
  const options: RedisOptions = {
    connectionName: opts.connectionName,
    maxRetriesPerRequest: opts.maxRetriesPerRequest,
    connectTimeout: 5_000,
    lazyConnect: opts.lazyConnect ?? false,
    enableAutoPipelining: opts.autoPipelining ?? false,
  };
  if (opts.keyPrefix) options.keyPrefix = opts.keyPrefix;
  const client = new Redis(url, options);
  watchErrors(client, opts.connectionName, opts.logger);
  return client;
}

/** Logs a connection's errors; ioredis emits one per failed reconnect, and an unheard one goes to stderr. */
export function watchErrors(client: Redis, connectionName: string, logger: Logger | undefined): void {
  if (!logger) return;
  client.on('error', (err: Error) => {
    logger.warn({ err, connection: connectionName }, 'redis connection error');
  });
}

/** Sends PING; throws AppError `unavailable` when Redis does not answer in time. */
export async function pingRedis(client: Redis): Promise<void> {
  try {
    await withTimeout(client.ping(), PING_TIMEOUT_MS, 'PING timed out');
  } catch (err) {
    throw unavailable('Redis is not reachable', err);
  }
}

/** Closes a connection gracefully, dropping it when QUIT cannot complete (Redis already gone). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  // QUIT on a lazy connection that never connected would open one just to close it.
  if (client.status === 'wait') {
    client.disconnect();
    return;
  }
  try {
    await withTimeout(client.quit(), QUIT_TIMEOUT_MS, 'QUIT timed out');
  } catch {
    client.disconnect();
  }
}

/** Rejects when `promise` has not settled within `ms`; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  // A late rejection of the losing promise must not become an unhandled rejection.
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
