import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { DEFAULT_CONCURRENCY } from '../../src/infra/queue/job-queue.js';
import { startFakeOpenAi } from '../fake-openai-server.js';
import { startSlackStandIn } from '../slack-stand-in.js';
import { benchDatabase } from './bench-database.js';
import { reportBench } from './report.js';
import { signedMention } from './slack-events.js';
import {
  dropQueue,
  dropRunKeys,
  runTeamPrefix,
  startWebProcess,
  teamAt,
  WEB_SECRET,
  type WebProcess,
} from './web-process.js';
import { cpuPercent, sampleCpu } from './worker-scale-cpu.js';
import { MODEL_ANSWER, QUESTION, seedWorkspaces, steadyRate, waitForAnswers } from './worker-scale-seed.js';

/**
 * Workers scale out (issue 11): answers per second with 1, 2 and 4 worker processes (`APP_ROLE=worker node
 * --import tsx src/main.ts`, NODE_ENV=production, the default worker concurrency and TENANT_JOB_CONCURRENCY)
 * on one Redis and one native Postgres. One web process takes the questions as signed app_mention events
 * from this process (the load: BENCH_SCALE_QUESTIONS, default 160 = whole rounds of 4, 8, 16 and 32 slots, sent at once over 8 connections, spread
 * over BENCH_SCALE_WORKSPACES, default 48, so neither the per-tenant job limit of 3 nor a workspace's
 * Slack budget for chat.appendStream binds; each step ends by BENCH_SCALE_TIMEOUT_S). Each step first
 * answers one warm-up round per worker, not counted (a new process's first answers load and compile code).
 * The model is faked with a fixed latency: first token after 500 ms, done after 2 s. Done = the answer's
 * row completed in lore.answers. Baseline: 1 worker in the same run. Needs REDIS_URL and
 * BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
const redisUrl = process.env.REDIS_URL;
const database = redisUrl ? await benchDatabase({ prefix: 'lore_bench_scale_' }) : undefined;
if (!redisUrl || !database) {
  process.stdout.write(
    'worker-scale: skipped (needs REDIS_URL and BENCH_DATABASE_URL or TEST_DATABASE_URL)\n',
  );
  process.exit(0);
}
const db = database.db;
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const QUESTIONS = env('BENCH_SCALE_QUESTIONS', 160);
const WORKSPACES = env('BENCH_SCALE_WORKSPACES', 48);
const TIMEOUT_MS = env('BENCH_SCALE_TIMEOUT_S', 180) * 1000;
const STEPS = (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
const LATENCY = { firstTokenMs: 500, totalMs: 2000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The queue name and team ids are this run's alone, so its Redis keys can be found and removed after.
const queueName = `bench-scale-${randomUUID().slice(0, 8)}`;
const prefix = runTeamPrefix();
const teams = Array.from({ length: WORKSPACES }, (_, i) => teamAt(prefix, i));
const tenantIds = await seedWorkspaces(db, teams);
const slack = await startSlackStandIn();
const openai = await startFakeOpenAi({ answer: MODEL_ANSWER, latency: LATENCY });
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-bench-scale-'));
const common = { databaseUrl: database.url, redisUrl, queueName };
// What production sets (NODE_ENV=production requires these), with Slack and OpenAI at local stand-ins.
const prodEnv = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://lore.bench.test',
  SLACK_CLIENT_ID: 'bench-client',
  SLACK_CLIENT_SECRET: 'bench-client-secret',
  SLACK_API_URL: slack.apiUrl,
  OPENAI_API_KEY: 'sk-bench-platform',
  OPENAI_BASE_URL: `${openai.url}/v1`,
  DATA_DIR: dataDir,
};
const web = await startWebProcess({ ...common, role: 'web', env: prodEnv });
const sent: string[] = [];
const running = new Set<WebProcess>();
let asked = 0;

/** Sends `n` questions (each its own event and asker, workspaces in turn) over 8 connections; their ids. */
async function ask(n: number): Promise<string[]> {
  const ids: string[] = [];
  let left = n;
  const send = async () => {
    while (left-- > 0) {
      const i = asked++;
      const req = signedMention(WEB_SECRET, teams[i % teams.length] as string, QUESTION, `UQ${i}`);
      const id = JSON.parse(String(req.body)).event_id as string;
      ids.push(id);
      sent.push(id); // for the clean-up, even if a later send fails
      const res = await fetch(`${web.url}/slack/events`, req);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`event refused: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, send));
  return ids;
}

async function step(workers: number) {
  const procs: WebProcess[] = await Promise.all(
    Array.from({ length: workers }, async () => {
      const p = await startWebProcess({ ...common, role: 'worker', env: prodEnv });
      running.add(p);
      return p;
    }),
  );
  await waitForAnswers(db, await ask(workers * DEFAULT_CONCURRENCY), Date.now() + TIMEOUT_MS, 100);
  const who = { workerPids: procs.map((p) => p.pid), webPid: web.pid, db, redis };
  // The workers' own cost with nothing to do (BullMQ's blocking waits, slot renewals, timers), once the
  // warm-up has settled: the first 3 s after it still cost a worker about 14% of a core (measured once).
  await sleep(3000);
  const idle0 = await sampleCpu(who);
  await sleep(3000);
  const idleWorkers = cpuPercent(idle0, await sampleCpu(who), 3000).workers;
  const [cpu0, calls0, t0] = [await sampleCpu(who), slack.calls.length, Date.now()];
  const ids = await ask(QUESTIONS);
  const state = await waitForAnswers(db, ids, t0 + TIMEOUT_MS, 100);
  const wallMs = Math.max(1, (state.done < QUESTIONS ? Date.now() : state.lastAt) - t0);
  const cpu = cpuPercent(cpu0, await sampleCpu(who), wallMs);
  await Promise.all(procs.map((p) => p.stop().then(() => running.delete(p))));
  const slackCalls: Record<string, number> = {};
  for (const c of slack.calls.slice(calls0)) slackCalls[c.method] = (slackCalls[c.method] ?? 0) + 1;
  const result = {
    workers,
    perSecond: state.done / (wallMs / 1000),
    steadyPerSecond: await steadyRate(db, ids),
    seconds: wallMs / 1000,
    idleWorkersCpu: idleWorkers,
    answerP50Ms: state.p50Ms,
    cpu,
    outcomes: state.outcomes,
    slackCalls,
  };
  process.stdout.write(`worker-scale: ${JSON.stringify(result)}\n`);
  return result;
}

type Step = Awaited<ReturnType<typeof step>>;
const steps: Step[] = [];
try {
  for (const workers of STEPS) steps.push(await step(workers));
} finally {
  // Workers a failed step left running (one that did not start makes its siblings orphans otherwise).
  await Promise.all([...running].map((p) => p.stop()));
  await web.stop();
  await slack.close();
  await openai.close();
  await redis.quit();
  await dropQueue(redisUrl, queueName);
  const dropped = await dropRunKeys(redisUrl, queueName, [prefix, ...tenantIds], sent);
  process.stdout.write(`worker-scale: ${dropped} of this run's keys removed from Redis\n`);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
}

const base = steps[0] as Step;
const ceiling = DEFAULT_CONCURRENCY / (LATENCY.totalMs / 1000);
const pct = (n: number) => `${n.toFixed(0)}%`;
process.stdout.write(
  `worker-scale: ${cpus().length} cores; a worker runs ${DEFAULT_CONCURRENCY} answers at once: at most ${ceiling.toFixed(1)} answers/s each\n` +
    '  workers | answers/s | ratio | ideal | steady answers/s (ratio) | answer p50 ms | CPU, % of a core: workers (idle), web, Postgres, Redis, load | machine busy\n' +
    steps
      .map(
        (s) =>
          `  ${s.workers} | ${s.perSecond.toFixed(2)} | ${(s.perSecond / base.perSecond).toFixed(2)} | ${(s.workers / base.workers).toFixed(2)} | ${s.steadyPerSecond.toFixed(2)} (${(s.steadyPerSecond / base.steadyPerSecond).toFixed(2)}) | ${s.answerP50Ms.toFixed(0)} | ${pct(s.cpu.workers)} (${pct(s.idleWorkersCpu)}), ${[s.cpu.web, s.cpu.postgres, s.cpu.redis, s.cpu.load].map(pct).join(', ')} | ${pct(s.cpu.machine)}\n`,
      )
      .join(''),
);
reportBench({
  name: 'worker-scale',
  description: `${QUESTIONS} questions over ${WORKSPACES} workspaces, faked model 500 ms to first token / 2 s in all; baseline = ${base.workers} worker process(es) in the same run`,
  rows: steps.flatMap((s) => [
    { metric: `${s.workers}w answers/s`, baseline: base.perSecond, lore: s.perSecond },
    {
      metric: `${s.workers}w ideal linear answers/s`,
      baseline: base.perSecond,
      lore: (base.perSecond * s.workers) / base.workers,
    },
    { metric: `${s.workers}w steady answers/s`, baseline: base.steadyPerSecond, lore: s.steadyPerSecond },
    { metric: `${s.workers}w workers CPU % of a core`, baseline: base.cpu.workers, lore: s.cpu.workers },
  ]),
});
