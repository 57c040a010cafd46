import { type ChildProcess, spawn } from 'node:child_process';

/** A Lore process as production runs it: `node dist/src/main.js` with its own environment. */
export interface LoreProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code once it exits (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/** Starts `node dist/src/main.js` (build it first) and resolves with its URL once its banner is out. */
export function startLoreProcess(name: string, env: Record<string, string>): Promise<LoreProcess> {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(out);
      if (!match?.[1]) return;
      resolve({
        name,
        child,
        url: match[1],
        output: () => out,
        async stop(signal = 'SIGTERM', graceMs = 30_000) {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          const code = await exited;
          clearTimeout(timer);
          return code;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`${name} exited before it was ready (${code}):\n${out}`)));
  });
}
