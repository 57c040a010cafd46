import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPostgresDatabase } from '../../../src/infra/db/database.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { copyDatabase } from '../../support/native-postgres.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';
// The range fault tests may use for clusters of their own (the machine's Postgres keeps 5432).
const PORTS = { first: 56000, last: 56099 };

/** A PostgreSQL 15 cluster of the test's own, shaped like Supabase, which it may stop and start. */
export interface PrivatePostgres {
  /** A migrated Lore database on it, as the non-superuser owner (what DATABASE_URL holds in production). */
  url: string;
  /** Stops the server as an orchestrator or a failover does (`pg_ctl stop -m fast`: sessions are cut). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePortInRange(): Promise<number> {
  // Start at a random place so two runs at once are unlikely to race for the same port.
  const span = PORTS.last - PORTS.first + 1;
  const offset = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = PORTS.first + ((offset + i) % span);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${PORTS.first}-${PORTS.last} for a private Postgres`);
}

/** Runs a command as the postgres OS user (the server refuses to run as root). */
const asPostgres = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  run('runuser', ['-u', 'postgres', '--', cmd, ...args], {
    env: { ...process.env, ...env },
    timeout: 120_000,
  });

/**
 * initdb's a cluster in a temp dir on a free port in 56000-56099 (loopback and a socket in the temp dir),
 * shapes it as Supabase is with scripts/ci/prepare-native-postgres.sh (PGHOST/PGPORT pointed at it), and
 * migrates a copy of the base database. Needs root (the server runs as the postgres user) and pgvector
 * installed for these binaries.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  // Through sudo, the shaping script's psql would lose PGHOST/PGPORT and shape the machine's own cluster.
  if (process.getuid?.() !== 0)
    throw new Error('a private Postgres cluster needs root (runuser to the postgres user)');
  const dir = await mkdtemp(path.join(tmpdir(), 'lore-pg-'));
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(dir, Number(uid.trim()), Number(gid.trim()));
  const data = path.join(dir, 'data');
  await asPostgres(`${BIN}/initdb`, [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-local=peer',
    '--auth-host=scram-sha-256',
    '--no-sync',
  ]);
  const pgCtl = (...args: string[]) => asPostgres(`${BIN}/pg_ctl`, ['-D', data, ...args]);
  const startOn = (p: number) =>
    pgCtl(
      'start',
      '-w',
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      `-p ${p} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`,
    );
  // 56000-56099 lies inside Linux's ephemeral range, so an outgoing connection can take the port between
  // the check and the bind: the first start tries other ports, a restart (same port) tries again shortly.
  let port = 0;
  for (let tries = 1; ; tries++) {
    port = await freePortInRange();
    try {
      await startOn(port);
      break;
    } catch (err) {
      if (tries < 5) continue;
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      throw err;
    }
  }
  const start = async () => {
    for (let tries = 1; ; tries++) {
      try {
        return void (await startOn(port));
      } catch (err) {
        if (tries >= 10) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const stop = async () => {
    await pgCtl('stop', '-w', '-m', 'fast');
  };
  try {
    await run('bash', ['scripts/ci/prepare-native-postgres.sh'], {
      env: { ...process.env, PGHOST: dir, PGPORT: String(port) },
      timeout: 120_000,
    });
    const base = `postgresql://lore_owner:lore_owner@127.0.0.1:${port}/lore_base`;
    const url = await copyDatabase(base, 'lore_base', 'lore_faults');
    const db = createPostgresDatabase(url, { max: 1 });
    await migrate(db).finally(() => db.close());
    return {
      url,
      stop,
      start,
      async close() {
        await stop().catch(() => {});
        await rm(dir, { recursive: true, force: true }).catch(() => {});
      },
    };
  } catch (err) {
    await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
