import { execFileSync } from 'node:child_process';

/** The fault tests run the server as production does: built once per run, the way the Dockerfile builds it. */
export default function buildServer(): void {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore', timeout: 600_000 });
}
