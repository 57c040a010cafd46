import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { createBlankTestDatabase, createTestDatabase, onNativePostgres } from '../support/test-db.js';

/** `node --import tsx src/main.ts` with DATABASE_URL; resolves with its base URL once the banner is out. */
function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      // A real database never runs on the public development secrets.
      SLACK_SIGNING_SECRET: 'native-signing-secret',
      SLACK_STATE_SECRET: 'native-state-secret',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  child.kill('SIGTERM');
  return exited;
}

// Native Postgres only: the server process with DATABASE_URL (the embedded default is server-process.test.ts).
describe.skipIf(!onNativePostgres)('the server process on native Postgres (DATABASE_URL)', () => {
  const open: Database[] = [];
  afterAll(async () => {
    for (const db of open) await db.close().catch(() => {});
  });
  const urlOf = (db: Database) => (db as Database & { url: string }).url;

  it('is ready on a migrated database, and stops cleanly on SIGTERM', async () => {
    const db = await createTestDatabase();
    open.push(db);
    const { child, url } = await startServer(urlOf(db));
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: 'ok', migrations: 'ok' },
      });
      expect(ready.status).toBe(200);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 90_000);

  it('does not migrate on its own: /readyz says migrations are pending until npm run db:migrate', async () => {
    const db = await createBlankTestDatabase();
    open.push(db);
    const { child, url } = await startServer(urlOf(db));
    try {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { database: 'ok', migrations: 'failing' } });
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 90_000);
});
