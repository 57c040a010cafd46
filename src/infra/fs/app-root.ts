import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The app root: the nearest folder with a package.json above this file, whether running from src/ (tsx) or
 * dist/src/ (the image's /app). Files read at runtime (supabase/migrations, data/word-vectors) lie under it.
 */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Cannot find the app root (no package.json above src/infra/fs)');
    dir = parent;
  }
  return dir;
}
