import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createCipherBox } from '../../src/infra/crypto/cipher-box.js';
import type { Database } from '../../src/infra/db/database.js';
import { BULLMQ_PREFIX } from '../../src/infra/queue/bullmq-queue.js';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import { createMemoryQueue } from '../../src/infra/queue/memory-queue.js';
import { createMemoryStore } from '../../src/infra/redis/memory-store.js';
import { REDIS_KEY_PREFIX } from '../../src/infra/redis/redis-connection.js';
import { createLogger } from '../../src/logger.js';
import { dedupeKey } from '../../src/slack/answers/question-intake.js';
import { createTenantServices } from '../../src/tenants/tenant-services.js';
import { BENCH_CHANNEL, BENCH_EVENT_PREFIX, signedMention } from './slack-events.js';

/**
 * Lore's web role as production runs it, in a process of its own (`APP_ROLE=web`, native Postgres, Redis),
 * for the memory check and the production event-ack benchmark (and the worker role the same way, for
 * worker-scale): start it, install workspaces into its database, and read its RSS and CPU time from /proc.
 */
export const WEB_SECRET = 'scale-signing-secret';
const KEY = Buffer.alloc(32, 5);
const ENCRYPTION_KEYS = `k1:${KEY.toString('base64')}`;
const quiet = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

export interface WebProcess {
  url: string;
  pid: number;
  /** Resident set size, MB. */
  rssMb(): Promise<number>;
  /** User + system CPU time so far, ms (all threads). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const builtTrees = new Map<string, string>();

/**
 * The server as the Dockerfile runs it, `node dist/src/main.js`: compiled with tsc as `npm run build` does
 * (without the dashboard's bundle, which answering events does not need), once per bench process and tree.
 * Not `tsx src/main.ts` (`npm start`), whose name-keeping helper wraps closures Lore creates per request: an A/B
 * of the ack path measured no difference (BENCHMARKS.md, sixth pass), but the process measured is production's.
 */
export function builtServer(tree = process.cwd()): string {
  let entry = builtTrees.get(tree);
  if (!entry) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
      cwd: tree,
      stdio: 'inherit',
      timeout: 300_000,
    });
    entry = path.resolve(tree, 'dist/src/main.js');
    builtTrees.set(tree, entry);
  }
  return entry;
}

/** A team id no other run shares: the installation cache in Redis is keyed by team, across databases. */
export const runTeamPrefix = () => `T${randomBytes(3).toString('hex').toUpperCase()}`;
export const teamAt = (prefix: string, i: number) => `${prefix}${String(i).padStart(6, '0')}`;

export function startWebProcess(opts: {
  databaseUrl: string;
  redisUrl: string;
  queueName: string;
  nodeArgs?: string[];
  command?: string[];
  /** `worker` starts the worker role the same way (the process is then a worker, not a web server). */
  role?: 'web' | 'worker';
  /** More environment (Slack and OpenAI stand-ins, NODE_ENV=production and what it requires). */
  env?: Record<string, string>;
}): Promise<WebProcess> {
  const args = [...(opts.nodeArgs ?? []), ...(opts.command ?? [builtServer()])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      APP_ROLE: opts.role ?? 'web',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      QUEUE_NAME: opts.queueName,
      SLACK_SIGNING_SECRET: WEB_SECRET,
      SLACK_STATE_SECRET: 'scale-state-secret',
      ENCRYPTION_KEYS,
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid ?? 0;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(out);
      if (!match?.[1]) return;
      resolve({
        url: match[1],
        pid,
        async rssMb() {
          const status = await readFile(`/proc/${pid}/status`, 'utf8');
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
        },
        cpuMs: () => cpuMsOf(pid),
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`web process exited before it was ready:\n${out}`)));
  });
}

/** A process's user + system CPU time so far, ms: fields 14 and 15 of /proc/<pid>/stat, in 10 ms ticks. */
export async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Posts one signed mention of `text` from each team to a web process's /slack/events, `parallel` at a time:
 * each one's HTTP status and event id, in the teams' order.
 */
export async function mentionEach(
  url: string,
  teams: string[],
  text: string,
  parallel = 8,
): Promise<{ statuses: number[]; eventIds: string[] }> {
  const statuses: number[] = [];
  const eventIds: string[] = [];
  let next = 0;
  const send = async () => {
    while (next < teams.length) {
      const i = next++;
      const req = signedMention(WEB_SECRET, teams[i] as string, text);
      eventIds[i] = JSON.parse(String(req.body)).event_id;
      const res = await fetch(`${url}/slack/events`, req);
      await res.arrayBuffer();
      statuses[i] = res.status;
    }
  };
  await Promise.all(Array.from({ length: parallel }, send));
  return { statuses, eventIds };
}

/** Installs `teamIds` into `db` as the OAuth flow stores them (encrypted bot tokens), `parallel` at a time. */
export async function installWorkspaces(db: Database, teamIds: string[], parallel = 4): Promise<void> {
  const tenants = createTenantServices({
    db,
    kv: createMemoryStore({ logger: quiet }),
    queue: createMemoryQueue({ logger: quiet }),
    logger: quiet,
    cipher: createCipherBox([{ id: 'k1', key: KEY }]),
  });
  let next = 0;
  const worker = async () => {
    while (next < teamIds.length) {
      const teamId = teamIds[next++] as string;
      await tenants.installations.store({
        teamId,
        teamName: teamId,
        enterpriseId: null,
        enterpriseName: null,
        enterpriseUrl: null,
        isEnterpriseInstall: false,
        appId: 'A0SCALE',
        tokenType: 'bot',
        authVersion: 'v2',
        metadata: null,
        incomingWebhook: null,
        bot: {
          token: `xoxb-scale-${teamId}`,
          id: `B${teamId}`,
          userId: `U${teamId}`,
          scopes: ['chat:write'],
        },
        user: { id: '', scopes: [], tokens: null },
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** Deletes a queue the web process filled (its answer jobs never get a worker here). */
export async function dropQueue(redisUrl: string, queueName: string): Promise<void> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const admin = new Queue(queueName, { connection, prefix: BULLMQ_PREFIX });
  await admin.obliterate({ force: true });
  await admin.close();
  await connection.unlink(intakeKey(queueName));
  const lanes = await connection.keys(`${BULLMQ_PREFIX}:${queueName}-*:meta`);
  for (const meta of lanes) {
    const lane = new Queue(meta.split(':')[2] ?? '', { connection, prefix: BULLMQ_PREFIX });
    await lane.obliterate({ force: true });
    await lane.close();
  }
  await connection.quit();
}

/**
 * Deletes the keys this run left outside BullMQ's queues (which `dropQueue` obliterates): the per-tenant
 * slots of `queueName`, and every key naming one of the run's workspaces or tenants (installation cache,
 * rate-limit windows), and the de-duplication key of each event sent (`eventIds`). SCAN, not KEYS, so other
 * users of this Redis are never blocked.
 */
export async function dropRunKeys(
  redisUrl: string,
  queueName: string,
  needles: string[],
  eventIds: string[],
): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let dropped = 0;
  for (let i = 0; i < eventIds.length; i += 500)
    dropped += await redis.unlink(
      ...eventIds.slice(i, i + 500).map((id) => `${REDIS_KEY_PREFIX}${dedupeKey(id)}`),
    );
  const patterns = [`${REDIS_KEY_PREFIX}fair:${queueName}:*`, ...needles.map((n) => `*${n}*`)];
  for (const match of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) dropped += await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  await redis.quit();
  return dropped;
}

/**
 * After a run of signed mentions (slack-events.ts): its queues, and the Redis keys its events left (a
 * de-duplication key and a thread each) and its workspaces' cached installations.
 */
export async function dropMentionRunKeys(
  redisUrl: string,
  queueName: string,
  teamPrefix: string,
): Promise<void> {
  await dropQueue(redisUrl, queueName);
  await dropRunKeys(
    redisUrl,
    queueName,
    [teamPrefix, `:${BENCH_CHANNEL}:`, `event:${BENCH_EVENT_PREFIX}`],
    [],
  );
}
