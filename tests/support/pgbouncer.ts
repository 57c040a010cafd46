import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where Debian's `pgbouncer` package puts the binary (`.ci/run` installs it). */
export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

export interface Bouncer {
  /** `url` with host and port swapped for the bouncer's. */
  via(url: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => resolve(socket.destroy() && true));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });

/**
 * A real PgBouncer in front of `upstream` (host:port of the native server), in transaction mode with a
 * small server pool, so many clients share few server connections as on Supabase's transaction pooler.
 */
export async function startPgBouncer(
  upstream: { host: string; port: number; user: string },
  opts: { poolSize?: number } = {},
): Promise<Bouncer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lore-pgbouncer-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'users.txt'), `"${upstream.user}" ""\n`);
  await writeFile(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${upstream.host} port=${upstream.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${dir}/users.txt`,
      'pool_mode = transaction',
      `default_pool_size = ${opts.poolSize ?? 2}`,
      'max_client_conn = 200',
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root; CI runs as root, so it drops to the postgres user there (and logs
  // to stderr, which the test shows when it does not start).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chmod(dir, 0o755);
  const child: ChildProcess = spawn(
    PGBOUNCER_BIN,
    [...(asRoot ? ['-u', 'postgres'] : []), `${dir}/pgbouncer.ini`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !(await accepts(port)); i++) {
    if (child.exitCode !== null || i > 200) {
      child.kill();
      await rm(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    via(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
