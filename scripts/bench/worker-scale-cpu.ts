import { readFile } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { Database } from '../../src/infra/db/database.js';
import { cpuMsOf } from './web-process.js';

/**
 * CPU time, from /proc, of everything an answer runs on: the worker processes, the web process, this
 * process (the load, the Slack stand-in and the fake model), the Postgres backends serving the bench's
 * database, Redis, and the machine as a whole (other users included), so a step can say whose CPU ran out.
 */
export interface CpuSample {
  workers: number;
  web: number;
  load: number;
  postgres: Map<number, number>;
  redis: number;
  machineBusy: number;
  machineTotal: number;
}

/** The machine's busy and total CPU time so far (all cores, ms), from the first line of /proc/stat. */
async function machineCpuMs(): Promise<{ busy: number; total: number }> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait are the only fields that are not work.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) * 10, total: total * 10 };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const orZero = (p: Promise<number>) => p.catch(() => 0); // a process that has just exited

/** The Postgres backends connected to `db`'s database, by pid, with their CPU so far. */
async function postgresCpuMs(db: Database): Promise<Map<number, number>> {
  const { rows } = await db.pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return new Map(await Promise.all(rows.map(async (r) => [r.pid, await orZero(cpuMsOf(r.pid))] as const)));
}

export async function sampleCpu(p: {
  workerPids: number[];
  webPid: number;
  db: Database;
  redis: Redis;
}): Promise<CpuSample> {
  const info = await p.redis.info('server');
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0);
  const own = process.cpuUsage();
  const machine = await machineCpuMs();
  return {
    workers: sum(await Promise.all(p.workerPids.map((pid) => orZero(cpuMsOf(pid))))),
    web: await orZero(cpuMsOf(p.webPid)),
    load: (own.user + own.system) / 1000,
    postgres: await postgresCpuMs(p.db),
    redis: redisPid ? await orZero(cpuMsOf(redisPid)) : 0,
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

/** Each part's CPU between two samples, in % of one core over `wallMs`; machine in % of all cores. */
export function cpuPercent(a: CpuSample, b: CpuSample, wallMs: number) {
  const pct = (ms: number) => (100 * ms) / wallMs;
  // Backends that closed within the window are missed: a lower bound, close under steady load.
  const pg = sum([...b.postgres].map(([pid, ms]) => ms - (a.postgres.get(pid) ?? 0)));
  return {
    workers: pct(b.workers - a.workers),
    web: pct(b.web - a.web),
    load: pct(b.load - a.load),
    postgres: pct(pg),
    redis: pct(b.redis - a.redis),
    machine: (100 * (b.machineBusy - a.machineBusy)) / Math.max(1, b.machineTotal - a.machineTotal),
  };
}
