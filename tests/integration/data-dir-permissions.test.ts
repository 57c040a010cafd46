import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';

/** Every path under `dir` (itself included) whose mode lets the group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string) => {
    const info = await stat(p);
    if (info.mode & 0o077) found.push(`${path.relative(dir, p) || '.'} ${(info.mode & 0o777).toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(p)) await walk(path.join(p, name));
  };
  await walk(dir);
  return found;
}

describe('DATA_DIR is private to the user running Lore (M5)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('after a boot no file or folder under DATA_DIR is readable by the group or others, old ones included', async () => {
    // A common umask, and a DATA_DIR an earlier version left open with a readable original in it.
    process.umask(0o022);
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'lore-perm-')), 'data');
    dirs.push(path.dirname(dataDir));
    await mkdir(path.join(dataDir, 'files'), { recursive: true, mode: 0o755 });
    await chmod(dataDir, 0o755);
    await writeFile(path.join(dataDir, 'files', 'old-original.pdf'), 'secret', { mode: 0o644 });
    // PGlite's own files are the point here, on every run: the app creates and migrates them at boot.
    const app = await startTestApp({ DATA_DIR: dataDir }, { pglite: true, migrateAtBoot: true });
    try {
      // The boot wrote PGlite's files, the sample document's original and server.json.
      expect((await readdir(path.join(dataDir, 'pglite'))).length).toBeGreaterThan(5);
      expect(await openToOthers(dataDir)).toEqual([]);
    } finally {
      await app.cleanup();
    }
  }, 120_000); // This boot runs initdb and every migration (no snapshot, on purpose): the slowest start there is.
});
