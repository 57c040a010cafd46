import type { Redis } from 'ioredis';
import { REDIS_KEY_PREFIX } from '../redis/redis-connection.js';

/**
 * Per-tenant concurrency limits shared by every worker process, in Redis. A tenant holds at most `limit`
 * slots of a queue at once; a job over the limit is parked (its id noted in the tenant's parked list) and
 * woken when one of the tenant's slots frees. A slot is a sorted-set member scored by its expiry, renewed
 * while its job runs, so the slot of a worker that crashed frees itself after `ttlMs`.
 */
export interface TenantSlots {
  /** Takes a slot for `jobId`: true when taken (or already held); false when the job was parked instead. */
  acquire(tenantId: string, jobId: string): Promise<boolean>;
  /** Keeps a held slot from expiring while its job still runs. */
  renew(tenantId: string, jobId: string): Promise<void>;
  /** Frees the slot; the id of the tenant's oldest parked job (now to be woken), or null. */
  release(tenantId: string, jobId: string): Promise<string | null>;
  /** The next parked job id after one that could not be woken, or null. */
  nextParked(tenantId: string): Promise<string | null>;
}

// Server time, so workers with skewed clocks agree on which slots have expired.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: held slots (zset), parked ids (list). ARGV: job id, limit, slot ttl ms, parked cap, parked ttl ms.
const ACQUIRE_LUA = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 1
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 0`;

// Renews only a slot still held: one that expired (and may have been given away) stays gone.
const RENEW_LUA = `${NOW_MS}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE_LUA = `
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('LPOP', KEYS[2])`;

interface SlotCommands extends Redis {
  loreSlotAcquire(
    held: string,
    parked: string,
    jobId: string,
    limit: number,
    ttlMs: number,
    cap: number,
    parkedTtlMs: number,
  ): Promise<number>;
  loreSlotRenew(held: string, jobId: string, ttlMs: number): Promise<number>;
  loreSlotRelease(held: string, parked: string, jobId: string): Promise<string | null>;
}

export interface TenantSlotOptions {
  /** The queue (lane) these slots belong to: each lane limits its tenants on its own. */
  queueName: string;
  /** Slots per tenant across every worker. */
  limit: number;
  /** How long a slot outlives its last renewal (a crashed worker's slot frees itself after this). */
  ttlMs: number;
  /** Parked ids kept per tenant; a job past the cap is woken by its fallback delay instead. */
  parkedCap?: number;
  /** How long a parked list outlives its last push. */
  parkedTtlMs?: number;
}

/** Creates the Redis slots on `client` (a connection without a key prefix: the keys carry Lore's). */
export function createTenantSlots(client: Redis, opts: TenantSlotOptions): TenantSlots {
  const redis = client as SlotCommands;
  // Every lane shares the producer connection: the commands are defined on it once.
  if (!('loreSlotAcquire' in redis)) {
    client.defineCommand('loreSlotAcquire', { numberOfKeys: 2, lua: ACQUIRE_LUA });
    client.defineCommand('loreSlotRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    client.defineCommand('loreSlotRelease', { numberOfKeys: 2, lua: RELEASE_LUA });
  }
  const base = `${REDIS_KEY_PREFIX}fair:${opts.queueName}:`;
  const held = (tenantId: string) => `${base}${tenantId}:held`;
  const parked = (tenantId: string) => `${base}${tenantId}:parked`;
  const cap = opts.parkedCap ?? 10_000;
  const parkedTtlMs = opts.parkedTtlMs ?? 60 * 60_000;

  return {
    async acquire(tenantId, jobId) {
      const ok = await redis.loreSlotAcquire(
        held(tenantId),
        parked(tenantId),
        jobId,
        opts.limit,
        opts.ttlMs,
        cap,
        parkedTtlMs,
      );
      return ok === 1;
    },
    async renew(tenantId, jobId) {
      await redis.loreSlotRenew(held(tenantId), jobId, opts.ttlMs);
    },
    release: (tenantId, jobId) => redis.loreSlotRelease(held(tenantId), parked(tenantId), jobId),
    nextParked: (tenantId) => client.lpop(parked(tenantId)),
  };
}

/** The tenant a job is for (every tenant job's payload carries `tenantId`), or undefined for platform jobs. */
export function tenantOfPayload(payload: unknown): string | undefined {
  const id = (payload as { tenantId?: unknown } | null | undefined)?.tenantId;
  // Tenant ids are UUIDs; anything longer is not one and must not become a Redis key of any size.
  return typeof id === 'string' && id !== '' && id.length <= 64 ? id : undefined;
}
