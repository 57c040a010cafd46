import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { notFound } from '../../errors.js';
import { assertBlobKey, type BlobStore } from './blob-store.js';

/** Blobs as files under `root` (DATA_DIR/files); a write goes to a temp name first, so a crash leaves no half file. */
export function createLocalBlobStore(root: string): BlobStore {
  const fileFor = (key: string) => {
    assertBlobKey(key);
    return path.join(root, ...key.split('/').filter(Boolean));
  };
  return {
    kind: 'local',
    async put(key, body) {
      const file = fileFor(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
      try {
        await pipeline(body, createWriteStream(temp, { mode: 0o600 }));
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(fileFor(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('Original file');
        throw err;
      }
    },
    async deletePrefix(prefix) {
      await rm(fileFor(prefix), { recursive: true, force: true });
    },
  };
}
