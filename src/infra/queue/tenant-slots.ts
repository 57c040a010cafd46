import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REDIS_KEY_PREFIX } from '../redis/redis-connection.js';

/** One parking of a job: its id, and the list entry that notes this parking and no other. */
export interface ParkedNote {
  jobId: string;
  note: string;
}

/**
 * Per-tenant concurrency limits shared by every worker process, in Redis. A tenant holds at most `limit`
 * slots of a queue at once; a job over the limit is parked (a note of it in the tenant's parked list, the
 * tenant in the lane's set of tenants with parked jobs) and woken when one of the tenant's slots frees. A slot
 * is a sorted-set member scored by its expiry, renewed while its job runs, so the slot of a worker that
 * crashed frees itself after `ttlMs`. A parked note leaves its list only once its job was woken or is found
 * gone: a wake-up lost on the way (a reply lost to a Redis restart, a crash) leaves it there for the sweep.
 */
export interface TenantSlots {
  /** Takes a slot for `jobId`: true when taken (or already held); false when the job was parked instead. */
  acquire(tenantId: string, jobId: string): Promise<boolean>;
  /** Keeps a held slot from expiring while its job still runs. */
  renew(tenantId: string, jobId: string): Promise<void>;
  /** Frees the slot (doing it twice is harmless). */
  release(tenantId: string, jobId: string): Promise<void>;
  /**
   * The tenant's free slots now (expired ones freed) and its oldest parked notes, a few more than its limit
   * (some may be stale), notes of jobs holding a slot left out and dropped (a job noted twice, already
   * running); a tenant with none parked leaves the set of parked tenants.
   */
  parked(tenantId: string): Promise<{ free: number; notes: ParkedNote[] }>;
  /**
   * Drops exactly the note read (its job woken, or gone), never a later parking of the same job: two wakers
   * that read one note (a release's and the sweep's) both forget it, and the job parked again in between
   * stays listed. A tenant with none left leaves the set of parked tenants.
   */
  forget(tenantId: string, note: string): Promise<void>;
  /** Up to `max` tenants with parked jobs, those whose parked jobs were looked at longest ago first. */
  parkedTenants(max: number): Promise<string[]>;
  /** True for the one caller in `ms` that may sweep this lane (SET NX): workers take turns. */
  claimSweep(ms: number): Promise<boolean>;
}

// Server time, so workers with skewed clocks agree on which slots have expired.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// KEYS: held slots (zset), parked notes (list), parked tenants (zset). ARGV: job id, limit, slot ttl ms,
// parked cap, parked ttl ms, tenant id, the note of this parking.
const ACQUIRE_LUA = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 1
end
redis.call('RPUSH', KEYS[2], ARGV[7])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[3], 'NX', now, ARGV[6])
return 0`;

// Renews only a slot still held: one that expired (and may have been given away) stays gone.
const RENEW_LUA = `${NOW_MS}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

// KEYS: held, parked, parked tenants. ARGV: limit, max notes, tenant id.
// Returns { free slots, job id, note, job id, note, ... }. A note is "<job id>#<nonce>"; one written before notes
// had a nonce is the bare job id.
const PARKED_LUA = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local out = { tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1]) }
for _, note in ipairs(redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)) do
  local id = string.match(note, '^(.*)#[^#]*$') or note
  if redis.call('ZSCORE', KEYS[1], id) then redis.call('LREM', KEYS[2], 0, note)
  else out[#out + 1] = id out[#out + 1] = note end
end
-- Looked at now: to the back of the sweep's turn, so a sweep of a few tenants still reaches them all in time.
if redis.call('LLEN', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[3])
else redis.call('ZADD', KEYS[3], 'XX', now, ARGV[3]) end
return out`;

// KEYS: parked, parked tenants. ARGV: note, tenant id.
const FORGET_LUA = `
redis.call('LREM', KEYS[1], 1, ARGV[1])
if redis.call('LLEN', KEYS[1]) == 0 then redis.call('ZREM', KEYS[2], ARGV[2]) end
return 0`;

/** Parked notes read past the limit: a few stale ones (jobs gone, or being parked) do not stop a wake-up. */
const PARKED_LOOKAHEAD = 5;

interface SlotCommands extends Redis {
  loreSlotAcquire(
    held: string,
    parked: string,
    tenants: string,
    jobId: string,
    limit: number,
    ttlMs: number,
    cap: number,
    parkedTtlMs: number,
    tenantId: string,
    note: string,
  ): Promise<number>;
  loreSlotRenew(held: string, jobId: string, ttlMs: number): Promise<number>;
  loreSlotParked(
    held: string,
    parked: string,
    tenants: string,
    limit: number,
    max: number,
    tenantId: string,
  ): Promise<[number, ...string[]]>;
  loreSlotForget(parked: string, tenants: string, note: string, tenantId: string): Promise<number>;
}

export interface TenantSlotOptions {
  /** The queue (lane) these slots belong to: each lane limits its tenants on its own. */
  queueName: string;
  /** Slots per tenant across every worker. */
  limit: number;
  /** How long a slot outlives its last renewal (a crashed worker's slot frees itself after this). */
  ttlMs: number;
  /** Parked notes kept per tenant; a job past the cap is woken by its fallback delay instead. */
  parkedCap?: number;
  /** How long a parked list outlives its last push. */
  parkedTtlMs?: number;
}

/** Creates the Redis slots on `client` (a connection without a key prefix: the keys carry Lore's). */
export function createTenantSlots(client: Redis, opts: TenantSlotOptions): TenantSlots {
  const redis = client as SlotCommands;
  // Every lane shares the producer connection: the commands are defined on it once.
  if (!('loreSlotAcquire' in redis)) {
    client.defineCommand('loreSlotAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
    client.defineCommand('loreSlotRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    client.defineCommand('loreSlotParked', { numberOfKeys: 3, lua: PARKED_LUA });
    client.defineCommand('loreSlotForget', { numberOfKeys: 2, lua: FORGET_LUA });
  }
  const base = `${REDIS_KEY_PREFIX}fair:${opts.queueName}:`;
  const held = (tenantId: string) => `${base}${tenantId}:held`;
  const parked = (tenantId: string) => `${base}${tenantId}:parked`;
  // Lane-wide keys: a tenant's keys all end in `:held` or `:parked`, so none can be one of these.
  const tenants = `${base}~parked-tenants`;
  const sweepLock = `${base}~sweep`;
  const cap = opts.parkedCap ?? 10_000;
  const parkedTtlMs = opts.parkedTtlMs ?? 60 * 60_000;

  return {
    async acquire(tenantId, jobId) {
      const ok = await redis.loreSlotAcquire(
        held(tenantId),
        parked(tenantId),
        tenants,
        jobId,
        opts.limit,
        opts.ttlMs,
        cap,
        parkedTtlMs,
        tenantId,
        // Base64url holds no '#': the note's job id is everything before its last one.
        `${jobId}#${randomBytes(6).toString('base64url')}`,
      );
      return ok === 1;
    },
    async renew(tenantId, jobId) {
      await redis.loreSlotRenew(held(tenantId), jobId, opts.ttlMs);
    },
    async release(tenantId, jobId) {
      await client.zrem(held(tenantId), jobId);
    },
    async parked(tenantId) {
      const [free, ...pairs] = await redis.loreSlotParked(
        held(tenantId),
        parked(tenantId),
        tenants,
        opts.limit,
        opts.limit + PARKED_LOOKAHEAD,
        tenantId,
      );
      const notes: ParkedNote[] = [];
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const [jobId, note] = [pairs[i], pairs[i + 1]];
        if (jobId !== undefined && note !== undefined) notes.push({ jobId, note });
      }
      return { free: Math.max(0, free), notes };
    },
    async forget(tenantId, note) {
      await redis.loreSlotForget(parked(tenantId), tenants, note, tenantId);
    },
    parkedTenants: (max) => client.zrange(tenants, '0', String(max - 1)),
    claimSweep: async (ms) => (await client.set(sweepLock, '1', 'PX', ms, 'NX')) === 'OK',
  };
}

/** The tenant a job is for (every tenant job's payload carries `tenantId`), or undefined for platform jobs. */
export function tenantOfPayload(payload: unknown): string | undefined {
  const id = (payload as { tenantId?: unknown } | null | undefined)?.tenantId;
  // Tenant ids are UUIDs; anything longer is not one and must not become a Redis key of any size.
  return typeof id === 'string' && id !== '' && id.length <= 64 ? id : undefined;
}
