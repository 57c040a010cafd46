import { userInfo } from 'node:os';
import { createCliOutput } from '../src/cli/cli-context.js';
import { runCli } from '../src/cli/run-cli.js';
import { isProcessAlive, readServerHandle } from '../src/cli/server-handle.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createContainer } from '../src/main.js';

/**
 * Operator CLI: `npm run cli -- <command>`. On embedded defaults, when a server is running it owns the
 * database, so the command is sent to that server's loopback admin endpoint; otherwise it runs here.
 */
async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const actor = userInfo().username;
  if (config.embedded) {
    const handle = await readServerHandle(config.dataDir);
    if (handle && isProcessAlive(handle.pid)) {
      const res = await fetch(`${handle.url}/admin/cli`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-admin-token': handle.token },
        body: JSON.stringify({ argv, actor }),
      }).catch((err: unknown) => {
        throw new Error(
          `A Lore server (pid ${handle.pid}) owns ${config.dataDir} but did not answer at ${handle.url}: ${String(err)}`,
        );
      });
      if (!res.ok)
        throw new Error(`The running server refused the command (HTTP ${res.status}): ${await res.text()}`);
      const body = (await res.json()) as { exitCode: number; output: string };
      if (body.output) process.stdout.write(`${body.output}\n`);
      process.stderr.write(`(ran inside the running server, pid ${handle.pid})\n`);
      return body.exitCode;
    }
  }
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: process.stderr,
  });
  const container = await createContainer(config, logger);
  try {
    const out = createCliOutput({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    return await runCli(argv, { ...container, where: 'local', actor: `cli:${actor}` }, out);
  } finally {
    await container.close();
  }
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
