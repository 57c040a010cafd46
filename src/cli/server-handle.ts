import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Embedded PGlite belongs to one process. While the server runs on embedded defaults it writes this
 * handle (loopback URL, a random admin token, its pid) into DATA_DIR with owner-only permissions, so the
 * CLI sends commands to it instead of opening the same database files a second time.
 */
export interface ServerHandle {
  url: string;
  token: string;
  pid: number;
}

const FILE = 'server.json';

/** A fresh random admin token for this server run. */
export const newAdminToken = () => randomBytes(32).toString('base64url');

/** Writes the handle (mode 0600: only the user running the server can read the token). */
export async function writeServerHandle(dataDir: string, handle: ServerHandle): Promise<void> {
  await writeFile(path.join(dataDir, FILE), JSON.stringify(handle), { mode: 0o600 });
}

/** Removes the handle on shutdown, but only if it is still ours. */
export async function removeServerHandle(dataDir: string, pid = process.pid): Promise<void> {
  const current = await readServerHandle(dataDir);
  if (current?.pid === pid) await rm(path.join(dataDir, FILE), { force: true });
}

/** Reads the handle; undefined when there is none or it is unreadable. */
export async function readServerHandle(dataDir: string): Promise<ServerHandle | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, FILE), 'utf8')) as Partial<ServerHandle>;
    if (
      typeof parsed.url === 'string' &&
      typeof parsed.token === 'string' &&
      typeof parsed.pid === 'number'
    ) {
      return parsed as ServerHandle;
    }
  } catch {
    // No server has written a handle (or it was left half-written): treat as absent.
  }
  return undefined;
}

/** True when a process with this pid exists (a handle left by a crashed server is stale). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
