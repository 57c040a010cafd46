// Builds the dashboard (dashboard/dist) when it is missing or older than its sources, so `npm start` on a
// fresh clone serves /app and a second start costs one directory walk. `--force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dashboard/dist/index.html');
const sources = [
  'dashboard/src',
  'dashboard/index.html',
  'dashboard/vite.config.ts',
  'dashboard/package.json',
  'src/http/contracts',
];

/** The newest modification time under a file or directory. */
function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

const force = process.argv.includes('--force');
const stale =
  force ||
  !existsSync(built) ||
  sources.some((s) => existsSync(path.join(root, s)) && newest(path.join(root, s)) > statSync(built).mtimeMs);
if (!stale) process.exit(0);

try {
  createRequire(path.join(root, 'dashboard/package.json')).resolve('vite');
} catch {
  // A production install (`npm ci --omit=dev`) has no Vite: the image ships a dashboard built at build time.
  console.warn(
    'dashboard: Vite is not installed, so the dashboard cannot be built here (run `npm ci` first).',
  );
  process.exit(0);
}
console.log('dashboard: building dashboard/dist …');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['run', 'build', '--workspace', 'dashboard', '--silent'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
