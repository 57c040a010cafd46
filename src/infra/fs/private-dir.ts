import { chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes `dir` (DATA_DIR: PGlite's files, uploaded originals, server.json with the admin token) private to
 * the user running Lore: the folder and every folder under it 0700, every file 0600. The process umask is
 * narrowed too, for the files Lore itself creates later; PGlite sets 0666 on its own files regardless, so
 * call this again once they exist (the walk also fixes files an earlier version left readable).
 */
export async function makePrivateDir(dir: string): Promise<void> {
  process.umask(0o077);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await privateTree(dir);
}

// The database keeps working while this walks: a file it removed meanwhile is simply gone.
const unlessGone = (err: NodeJS.ErrnoException) => {
  if (err.code !== 'ENOENT') throw err;
};

async function privateTree(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  const entries = await readdir(dir, { withFileTypes: true }).catch((err) => {
    unlessGone(err);
    return [];
  });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await privateTree(full).catch(unlessGone);
    else if (entry.isFile()) await chmod(full, 0o600).catch(unlessGone);
  }
}
