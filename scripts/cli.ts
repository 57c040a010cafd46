import { userInfo } from 'node:os';
import { createCliOutput } from '../src/cli/cli-context.js';
import { isProcessAlive, readServerHandle } from '../src/cli/server-handle.js';
import { type CliExec, watchIngestion } from '../src/cli/watch-ingestion.js';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Container } from '../src/main.js';

/**
 * Operator CLI: `npm run cli -- <command>`. On embedded defaults, when a server is running it owns the
 * database, so commands are sent to its loopback admin endpoint; otherwise they run in this process.
 */
async function main(argv: string[]): Promise<number> {
  const config = configOrError(argv);
  const actor = userInfo().username;
  const remote = config instanceof ConfigError ? undefined : await remoteExec(config, actor);
  let container: Container | undefined;
  const local: CliExec = async (args) => {
    const { runCli } = await import('../src/cli/run-cli.js');
    const out = createCliOutput();
    // Opened only when a command runs: help and usage errors need neither a valid configuration nor a database.
    const open = async () => {
      if (config instanceof ConfigError) throw config;
      container ??= await openLocally(config);
      return { ...container, where: 'local' as const, actor: `cli:${actor}`, cwd: process.cwd() };
    };
    const exitCode = await runCli(args, open, out);
    return { exitCode, output: out.text(), data: out.result() };
  };
  const exec = remote ?? local;
  try {
    const res = await exec(argv);
    if (res.output) process.stdout.write(`${res.output}\n`);
    if (remote) process.stderr.write(`(ran inside the running server, pid ${remote.pid})\n`);
    const added = res.data as { tenant?: string; documents?: { id: string; file: string }[] } | null;
    if (argv[0] === 'docs' && argv[1] === 'add' && !argv.includes('--no-wait') && added?.documents?.length) {
      const failed = await watchIngestion(exec, added.tenant ?? '', added.documents, {
        stream: process.stderr,
      });
      process.stderr.write(failed === 0 ? 'All documents are ready.\n' : `${failed} document(s) failed.\n`);
      return failed > 0 ? 1 : res.exitCode;
    }
    return res.exitCode;
  } finally {
    await container?.close();
  }
}

/** This process's configuration, or what is wrong with it (reported only when a command needs it). */
function configOrError(argv: string[]): Config | ConfigError {
  try {
    return loadConfig(process.env, { databaseOnly: argv[0] === 'migrate' });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

/** The running embedded server's admin endpoint, when there is one. */
async function remoteExec(config: Config, actor: string): Promise<(CliExec & { pid: number }) | undefined> {
  if (!config.embedded) return undefined;
  const handle = await readServerHandle(config.dataDir);
  if (!handle || !isProcessAlive(handle.pid)) return undefined;
  const exec: CliExec = async (argv) => {
    const res = await fetch(`${handle.url}/admin/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-token': handle.token },
      body: JSON.stringify({ argv, actor, cwd: process.cwd() }),
    }).catch((err: unknown) => {
      throw new Error(
        `A Lore server (pid ${handle.pid}) owns ${config.dataDir} but did not answer at ${handle.url}: ${String(err)}`,
      );
    });
    if (!res.ok)
      throw new Error(`The running server refused the command (HTTP ${res.status}): ${await res.text()}`);
    return (await res.json()) as { exitCode: number; output: string; data: unknown };
  };
  return Object.assign(exec, { pid: handle.pid });
}

/**
 * Opens the database here; with the in-memory queue, this process must also run the jobs it queues. The app
 * is imported only now: a command sent to the running server needs none of it (loading it took ~2 s of CPU).
 */
async function openLocally(config: Config): Promise<Container> {
  const [{ createContainer, jobServices }, { createJobRegistry }, { startWorker }] = await Promise.all([
    import('../src/main.js'),
    import('../src/jobs/registry.js'),
    import('../src/jobs/worker.js'),
  ]);
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: process.stderr,
  });
  const container = await createContainer(config, logger);
  if (container.queue.kind === 'memory') {
    await startWorker(container.queue, createJobRegistry(jobServices(container)), {
      logger,
      metrics: container.metrics,
    });
  }
  return container;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
