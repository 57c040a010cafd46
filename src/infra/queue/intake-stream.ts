import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';
import { REDIS_KEY_PREFIX } from '../redis/redis-connection.js';
import { type IntakeEntry as Entry, entryFields, entryTenant, parseEntry } from './intake-entry.js';
import { DEFAULT_SUBMIT_LIMITS, type JobOptions, type SubmitLimits, submitRefused } from './job-queue.js';
import { tenantOfPayload } from './tenant-slots.js';

/**
 * The request path's way into the BullMQ queue (`JobQueue.submit`): one XADD to a Redis stream, which a
 * worker moves into BullMQ with the job's own options (its de-duplication included). BullMQ's add is one Lua
 * call too, but building it (job JSON, msgpack'd options, a dozen keys) was a sixth of the web process's time
 * per Slack acknowledgement; with an XADD instead it spends about 9% less CPU per event (BENCHMARKS.md,
 * event-ack, fifth pass).
 *
 * Entries are read with a consumer group, so each worker process moves its share, and an entry is deleted only
 * after its job was added: a worker that dies between the two leaves it pending, and another worker claims it
 * once it has sat idle for `claimIdleMs`. Adding it twice is harmless for a job with `dedupe` or `jobId`, the
 * only kind worth submitting.
 *
 * What is waiting is bounded (`SubmitLimits`): the submit and the count are one Lua call, and so are the
 * deletion and the count going down, so the count is of entries still in the stream.
 */
export interface IntakeStream {
  /** Durable once it resolves (the entry is in Redis); the job is added by a worker moments later. */
  submit(name: string, payload: unknown, opts: JobOptions): Promise<void>;
  /** Entries not yet moved into BullMQ. */
  length(): Promise<number>;
  /** Entries not yet moved, oldest first, at most `count`: the job name and when it was submitted. */
  oldest(count: number): Promise<Array<{ name: string; queuedAt: number }>>;
  /** Moves entries into BullMQ with `add` until `stop` (one loop per worker process). */
  startMover(add: (name: string, payload: unknown, opts: JobOptions) => Promise<unknown>): void;
  /** Stops the mover: an entry it was moving stays pending and is claimed by another worker. */
  stop(): Promise<void>;
}

export interface IntakeStreamOptions {
  /** Commands that must fail fast (XADD on the request path) and the mover's acknowledgements. */
  client: Redis;
  /** A connection of the mover's own: XREADGROUP blocks it. Only the worker role needs one. */
  blockingClient?: () => Redis;
  queueName: string;
  logger: Logger;
  /**
   * How long a read entry may sit unmoved before another worker takes it over (default 5 s; a move takes
   * milliseconds). Redis hands a new entry to whichever worker is blocked reading, so a worker that froze
   * (stopped, or its host paused) while blocked takes entries it will not move: this bounds their delay.
   */
  claimIdleMs?: number;
  /** Entries waiting, in all and per workspace, past which `submit` is refused (default DEFAULT_SUBMIT_LIMITS). */
  limits?: SubmitLimits;
}

const GROUP = 'movers';
const BATCH = 100;
const BLOCK_MS = 1_000;
const ERROR_PAUSE_MS = 1_000;
const CLAIM_EVERY_MS = 1_000;
// Each worker process reads as a consumer of its own name; the names of processes long gone are forgotten.
const PRUNE_EVERY_MS = 10 * 60_000;
const GONE_AFTER_MS = 60 * 60_000;

// KEYS: the stream, the waiting count per workspace (a hash). ARGV: the limit in all, per workspace, the
// workspace ('' for none), then the entry's fields. Answers 'ok', or which limit refused it.
const SUBMIT_LUA = `
local waiting = redis.call('XLEN', KEYS[1])
-- Nothing in the stream means nobody has anything waiting: a count outliving its entries (a stream lost to a
-- flushed or replaced Redis) is dropped here.
if waiting == 0 then redis.call('DEL', KEYS[2]) end
if waiting >= tonumber(ARGV[1]) then return 'platform' end
if ARGV[3] ~= '' then
  if tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0') >= tonumber(ARGV[2]) then return 'workspace' end
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
redis.call('XADD', KEYS[1], '*', 't', ARGV[3], unpack(ARGV, 4))
return 'ok'`;

// KEYS: the stream, the waiting count per workspace. ARGV: the group, then each moved entry's id and workspace.
// Only the call that deletes an entry counts it down: two workers finishing the same entry (one froze, the
// other claimed it) count it once.
const DONE_LUA = `
for i = 2, #ARGV, 2 do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  if redis.call('XDEL', KEYS[1], ARGV[i]) == 1 and ARGV[i + 1] ~= '' then
    if redis.call('HINCRBY', KEYS[2], ARGV[i + 1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[i + 1]) end
  end
end
return 0`;

interface IntakeCommands {
  loreIntakeSubmit(...keysAndArgs: string[]): Promise<'ok' | 'platform' | 'workspace'>;
  loreIntakeDone(...keysAndArgs: string[]): Promise<number>;
}

/** The Redis key of a queue's intake stream. */
export const intakeKey = (queueName: string) => `${REDIS_KEY_PREFIX}intake:${queueName}`;

/** Creates the intake stream of one queue. */
export function createIntakeStream(opts: IntakeStreamOptions): IntakeStream {
  const { client, logger } = opts;
  const key = intakeKey(opts.queueName);
  const waitingKey = `${key}:waiting`;
  const limits = opts.limits ?? DEFAULT_SUBMIT_LIMITS;
  const redis = client as Redis & IntakeCommands;
  if (!('loreIntakeSubmit' in redis)) {
    client.defineCommand('loreIntakeSubmit', { numberOfKeys: 2, lua: SUBMIT_LUA });
    client.defineCommand('loreIntakeDone', { numberOfKeys: 2, lua: DONE_LUA });
  }
  const claimIdleMs = opts.claimIdleMs ?? 5_000;
  const consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let running: Promise<void> | undefined;
  let stopping = false;
  let blocking: Redis | undefined;

  async function ensureGroup(): Promise<void> {
    // From the start of the stream: entries submitted before any worker ever ran are moved too.
    await client.xgroup('CREATE', key, GROUP, '0', 'MKSTREAM').catch((err: Error) => {
      if (!err.message.includes('BUSYGROUP')) throw err;
    });
  }

  /** This worker's next new entries, waiting up to BLOCK_MS for some on its own connection. */
  async function readNew(conn: Redis): Promise<Entry[]> {
    const read = (await conn.xreadgroup(
      'GROUP',
      GROUP,
      consumer,
      'COUNT',
      BATCH,
      'BLOCK',
      BLOCK_MS,
      'STREAMS',
      key,
      '>',
    )) as Array<[string, Entry[]]> | null;
    return read?.[0]?.[1] ?? [];
  }

  /** Adds each entry's job, then acknowledges, deletes and counts down the entries that were added. */
  async function move(entries: Entry[], add: Parameters<IntakeStream['startMover']>[0]): Promise<void> {
    const done: string[] = [];
    try {
      for (const [id, fields] of entries) {
        const entry = parseEntry(fields);
        if (!entry) logger.error({ entryId: id, stream: key }, 'unreadable intake entry dropped');
        else await add(entry.name, entry.payload, entry.opts);
        done.push(id, entryTenant(fields));
      }
    } finally {
      if (done.length > 0) await redis.loreIntakeDone(key, waitingKey, GROUP, ...done);
    }
  }

  /** Deletes consumers idle for an hour with nothing pending (deleting one with pending entries loses them). */
  async function forgetGoneConsumers(): Promise<void> {
    const consumers = (await client.xinfo('CONSUMERS', key, GROUP)) as Array<Array<string | number>>;
    for (const fields of consumers) {
      const info = Object.fromEntries(
        Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]),
      );
      if (info.name !== consumer && info.pending === 0 && Number(info.idle) > GONE_AFTER_MS)
        await client.xgroup('DELCONSUMER', key, GROUP, String(info.name));
    }
  }

  async function loop(add: Parameters<IntakeStream['startMover']>[0]): Promise<void> {
    let claimAt = 0;
    let pruneAt = 0;
    while (!stopping) {
      try {
        if (Date.now() >= claimAt) {
          // Entries read and not moved for claimIdleMs: a dead or frozen worker's, or this one's own after a move
          // that failed (Redis away mid-batch). One mechanism for all three.
          const [, claimed] = (await client.xautoclaim(
            key,
            GROUP,
            consumer,
            claimIdleMs,
            '0-0',
            'COUNT',
            BATCH,
          )) as [string, Entry[]];
          await move(claimed.filter(Boolean), add);
          claimAt = Date.now() + CLAIM_EVERY_MS;
        }
        if (Date.now() >= pruneAt) {
          await forgetGoneConsumers();
          pruneAt = Date.now() + PRUNE_EVERY_MS;
        }
        blocking ??= opts.blockingClient?.();
        if (!blocking) throw new Error('the intake mover needs a blocking connection');
        await move(await readNew(blocking), add);
      } catch (err) {
        if (stopping) break;
        if ((err as Error).message.includes('NOGROUP')) {
          // The stream was lost (a flushed or replaced Redis): start over.
          await ensureGroup().catch(() => undefined);
          continue;
        }
        logger.warn({ err, stream: key }, 'intake mover: retrying');
        await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS).unref());
      }
    }
  }

  return {
    async submit(name, payload, jobOpts) {
      const verdict = await redis.loreIntakeSubmit(
        key,
        waitingKey,
        String(limits.waiting),
        String(limits.waitingPerTenant),
        tenantOfPayload(payload) ?? '',
        ...entryFields(name, payload, jobOpts),
      );
      if (verdict !== 'ok') throw submitRefused(verdict, limits);
    },

    length: () => client.xlen(key),

    async oldest(count) {
      const entries = (await client.xrange(key, '-', '+', 'COUNT', count)) as Entry[];
      return entries.flatMap(([id, fields]) => {
        const entry = parseEntry(fields);
        return entry ? [{ name: entry.name, queuedAt: Number(id.split('-')[0]) }] : [];
      });
    },

    startMover(add) {
      if (running) return;
      running = ensureGroup()
        .catch((err: unknown) => logger.warn({ err, stream: key }, 'intake mover: group not created yet'))
        .then(() => loop(add));
    },

    async stop() {
      stopping = true;
      // Ends a blocked XREADGROUP at once rather than after its timeout.
      blocking?.disconnect();
      await running;
      // Forgotten now if nothing it read is left unmoved; otherwise another worker claims those first.
      if (!running) return;
      const own = (await client.xpending(key, GROUP, '-', '+', 1, consumer).catch(() => [null])) as unknown[];
      if (own.length === 0) await client.xgroup('DELCONSUMER', key, GROUP, consumer).catch(() => undefined);
    },
  };
}
