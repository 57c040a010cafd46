import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../../infra/redis/key-value-store.js';

/**
 * A workspace member signed in to read cited sources (`/read/...`). It opens no dashboard page and allows
 * no write: it is a different cookie from the dashboard session, and the dashboard API refuses it.
 */
export interface ReaderSession {
  /** The workspaces Lore serves that this member belongs to (an Enterprise Grid member may have several). */
  tenantIds: string[];
  slackUserId: string;
  userName: string;
}

/** A working day: citations are opened from Slack, and signing in again is one click there. */
export const READER_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

// Only the hash is a key: someone who reads Redis cannot turn it into cookies.
const keyOf = (id: string) => `reader-session:${createHash('sha256').update(id).digest('hex')}`;

/** Stores a reader session and returns the cookie value (the only place the raw id exists). */
export async function createReaderSession(kv: KeyValueStore, s: ReaderSession): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await kv.set(keyOf(id), JSON.stringify(s), { ttlMs: READER_SESSION_TTL_MS });
  return id;
}

export async function resolveReaderSession(kv: KeyValueStore, id: string): Promise<ReaderSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const raw = await kv.get(keyOf(id));
  return raw ? (JSON.parse(raw) as ReaderSession) : null;
}
