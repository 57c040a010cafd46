import { execFileSync } from 'node:child_process';

/** Builds dashboard/dist when it is missing or stale: the server under test serves the real build. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { stdio: 'inherit' });
}
