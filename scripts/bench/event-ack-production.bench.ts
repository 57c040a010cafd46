import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { intakeKey } from '../../src/infra/queue/intake-stream.js';
import { benchDatabase } from './bench-database.js';
import { reportBench } from './report.js';
import {
  builtServer,
  dropMentionRunKeys,
  installWorkspaces,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  WEB_SECRET,
  type WebProcess,
} from './web-process.js';

/**
 * The Slack ingress on the production configuration: Lore as its own process, built as production runs it
 * (APP_ROLE=web, Redis, native Postgres, BENCH_ACK_WORKSPACES installed, default 1,000) against a bare Bolt
 * app that only acks, also its own process; autocannon sends the load from a third process, every request
 * freshly signed with a new event_id. Rounds alternate between the two servers (BENCH_ACK_ROUNDS, default
 * 5; medians reported). CPU time per event is the server process's own (/proc). BENCH_ACK_PROFILE=1 writes a
 * CPU profile of Lore's process to .data/bench/profiles.
 * BENCH_ACK_BASELINE=<dir>: the baseline is Lore from another checkout (a worktree of the commit before a
 * change, with its node_modules) instead of the bare app: an A/B of the change in the same conditions, which
 * a machine shared with other work does not give two runs minutes apart.
 * Needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const redisUrl = process.env.REDIS_URL;
const database = redisUrl ? await benchDatabase() : undefined;
if (!redisUrl || !database) {
  process.stdout.write(
    'event-ack-production: skipped (needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL)\n',
  );
  process.exit(0);
}
const WORKSPACES = Number(process.env.BENCH_ACK_WORKSPACES ?? 1_000);
const SECONDS = Number(process.env.BENCH_ACK_SECONDS ?? 10);
// Five, not three: medians of three runs of the same code differed by up to 0.1× (BENCHMARKS.md, fifth pass).
const ROUNDS = Number(process.env.BENCH_ACK_ROUNDS ?? 5);
const CONNECTIONS = 20;
const profileDir = path.resolve('.data', 'bench', 'profiles');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Load {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  cpuUsPerEvent: number;
}

const prefix = runTeamPrefix();
const t0 = performance.now();
await installWorkspaces(
  database.db,
  Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i)),
);
process.stdout.write(
  `event-ack-production: installed ${WORKSPACES} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
);
const queueName = `lore-scale-bench-ack-${randomUUID()}`;
if (process.env.BENCH_ACK_PROFILE === '1') await mkdir(profileDir, { recursive: true });
const lore = await startWebProcess({
  databaseUrl: database.url,
  redisUrl,
  queueName,
  nodeArgs: process.env.BENCH_ACK_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
});
const baselineTree = process.env.BENCH_ACK_BASELINE;
const bare = await startWebProcess({
  databaseUrl: database.url,
  redisUrl,
  queueName,
  command: baselineTree
    ? [builtServer(path.resolve(baselineTree))]
    : ['--import', 'tsx', path.join(here, 'bare-bolt.child.ts'), WEB_SECRET],
});

// No worker drains the intake here: each run starts with it empty, as a running worker keeps it, so the
// questions waiting never reach Lore's limits (QUEUE_WAITING_LIMIT) and Redis does not fill up.
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const emptyIntake = () => redis.unlink(intakeKey(queueName), `${intakeKey(queueName)}:waiting`);

/** One autocannon run from its own process against `server`; `rate` 0 = as fast as it goes. */
async function load(server: WebProcess, seconds: number, rate = 0): Promise<Load> {
  await emptyIntake();
  const cpuBefore = await server.cpuMs();
  const args = [server.url, WEB_SECRET, prefix, WORKSPACES, CONNECTIONS, seconds, rate].map(String);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'autocannon.child.ts'), ...args],
    {
      maxBuffer: 1 << 20,
    },
  );
  const cpuMs = (await server.cpuMs()) - cpuBefore;
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Omit<Load, 'cpuUsPerEvent'>;
  return { ...result, cpuUsPerEvent: (cpuMs * 1000) / Math.max(1, result.requests) };
}

// Warm-up: JIT for both, Lore's installation cache and pools.
await load(bare, 3);
await load(lore, 3);
const runs = { bare: [] as Load[], lore: [] as Load[] };
for (let round = 0; round < ROUNDS; round++) {
  runs.bare.push(await load(bare, SECONDS));
  runs.lore.push(await load(lore, SECONDS));
}
const steady = { bare: await load(bare, SECONDS, 200), lore: await load(lore, SECONDS, 200) };
await lore.stop();
await bare.stop();
await emptyIntake();
await redis.quit();
await dropMentionRunKeys(redisUrl, queueName, prefix);
await database.drop();

const pick = (k: keyof Load) => ({
  baseline: median(runs.bare.map((r) => r[k])),
  lore: median(runs.lore.map((r) => r[k])),
});
const non2xx = [...runs.bare, ...runs.lore, steady.bare, steady.lore].map((r) => r.non2xx);
process.stdout.write(
  `event-ack-production: non-2xx answers per run (bare…, lore…, steady): ${non2xx.join(' ')}\n`,
);
reportBench({
  name: baselineTree ? 'event-ack-production-ab' : 'event-ack-production',
  description: `signed app_mention over ${WORKSPACES} workspaces: Lore web process (Redis, native Postgres) vs ${baselineTree ? `Lore from ${baselineTree}` : 'a bare Bolt process'}; autocannon from a third process, ${CONNECTIONS} connections, ${SECONDS} s, median of ${ROUNDS}`,
  rows: [
    { metric: 'ack throughput (events/s)', ...pick('perSecond') },
    { metric: 'ack p50 (ms)', ...pick('p50Ms') },
    { metric: 'ack p99 (ms)', ...pick('p99Ms') },
    { metric: 'server CPU per event (µs)', ...pick('cpuUsPerEvent') },
    { metric: 'steady 200/s: rate reached', baseline: steady.bare.perSecond, lore: steady.lore.perSecond },
    { metric: 'steady 200/s: p50 (ms)', baseline: steady.bare.p50Ms, lore: steady.lore.p50Ms },
    { metric: 'steady 200/s: p99 (ms)', baseline: steady.bare.p99Ms, lore: steady.lore.p99Ms },
  ],
});
