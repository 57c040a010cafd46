import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** What `npm start` and `npm run cli` get: no configuration at all beyond where to keep data. */
function cleanEnv(dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
}

const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const CLI = path.resolve('scripts/cli.ts');

/** `npm run cli -- …`, from the repository (or, with `cwd`, from another folder, as an operator would). */
function cli(dataDir: string, ...args: string[]) {
  return cliIn(process.cwd(), cleanEnv(dataDir), ...args);
}

function cliIn(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  return run(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

/** Starts `node --import tsx src/main.ts` and resolves with its base URL once the banner is printed. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...cleanEnv(dataDir), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${out}`)));
  });
}

// Embedded PGlite on purpose, in both runs: this is what a fresh checkout does with no environment at all
// (its data under DATA_DIR, the CLI reaching the running server). The same process on native Postgres,
// with DATABASE_URL: native-server-process.test.ts.
describe('a fresh checkout: server and operator CLI on embedded defaults', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lore-proc-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('the CLI works with no server running: migrate, then tenants list on the same data', async () => {
    const migrated = await cli(dataDir, 'migrate');
    expect(migrated.code).toBe(0);
    // Embedded mode migrates on open, so an explicit migrate finds nothing left to do.
    expect(migrated.stdout).toContain('Database is up to date');
    const listed = await cli(dataDir, 'tenants', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('No tenants yet');
    // Help needs no valid configuration (here production settings missing their secrets); a command that needs
    // the database says what is wrong, and nothing else.
    const broken = { ...cleanEnv(dataDir), DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' };
    const help = await cliIn(process.cwd(), broken, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/migrate[\s\S]*tenants[\s\S]*jobs/);
    const refused = await cliIn(process.cwd(), broken, 'tenants', 'list');
    expect(refused.code).toBe(1);
    const said = refused.stdout + refused.stderr;
    expect(said).toMatch(/Error: Invalid configuration:\n {2}- SLACK_SIGNING_SECRET: required/);
    expect(said).not.toMatch(/\bat \S+ \(/);
  }, 120_000);

  it('serves /readyz with no environment set, seeds the demo workspace, and the CLI talks to it', async () => {
    const { child, url } = await startServer(dataDir);
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);

      const listed = await cli(dataDir, 'tenants', 'list');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('Demo workspace');
      expect(listed.stderr).toContain('ran inside the running server');

      const faq = path.join(dataDir, 'faq.md');
      await writeFile(faq, '# FAQ\n\n## Parking\n\nVisitors park in the north lot.\n');
      const added = await cli(dataDir, 'docs', 'add', '--tenant', 'demo', faq);
      expect(added.code).toBe(0);
      expect(added.stdout).toContain('faq.md: queued');
      expect(added.stderr).toMatch(/faq\.md: ready/);
      expect(added.stderr).toContain('All documents are ready.');

      // From the folder the file is in, by its bare name: the server resolves it against the operator's folder.
      await writeFile(path.join(dataDir, 'lunch.md'), '# Lunch\n\nThe canteen opens at noon.\n');
      const relative = await cliIn(dataDir, cleanEnv(dataDir), 'docs', 'add', '--tenant', 'demo', 'lunch.md');
      expect(relative.stdout).toContain('lunch.md: queued');
      expect(relative.stderr).toContain('ran inside the running server');
      expect(relative.code).toBe(0);

      const bad = await cli(dataDir, 'tenants', 'explode');
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toMatch(/unknown command 'explode'/);

      const second = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { ...cleanEnv(dataDir), PORT: '0' },
      });
      let secondErr = '';
      second.stderr?.on('data', (c: Buffer) => {
        secondErr += c.toString();
      });
      const secondCode = await new Promise((r) => second.on('exit', r));
      expect(secondCode).toBe(1);
      expect(secondErr).toMatch(/Another Lore server \(pid \d+\) is using the embedded database/);
    } finally {
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    await expect(readFile(path.join(dataDir, 'server.json'))).rejects.toThrow(/ENOENT/);

    // With the server stopped, the CLI opens the database itself and runs the ingest job in-process.
    const junk = path.join(dataDir, 'scan.pdf');
    await writeFile(
      junk,
      Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff, 0x13]),
    );
    const failed = await cli(dataDir, 'docs', 'add', '--tenant', 'demo', junk);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/scan\.pdf: failed: .+/);
    const listed = await cli(dataDir, 'docs', 'list', '--tenant', 'demo');
    expect(listed.stdout).toMatch(/Getting started with Lore\s+ready/);
    expect(listed.stdout).toMatch(/FAQ\s+ready/);
  }, 180_000);
});
