import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import { readServerHandle } from '../../src/cli/server-handle.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/infra/db/database.js';
import { sharedDocumentReader } from '../../src/knowledge/ingestion/extract-in-thread.js';
import { createLogger } from '../../src/logger.js';
import { type RunningApp, readerBounds, startApp } from '../../src/main.js';
import { databaseForTestApp } from './test-db.js';

/**
 * The real app (composition root included) on embedded defaults in a temp DATA_DIR, on a free port, its
 * PGlite already migrated (a copy of the run's snapshot, in memory; in DATA_DIR/pglite with `pglite`;
 * `migrateAtBoot` leaves the whole embedded boot to the app). On a native run (TEST_DATABASE_URL) it keeps the embedded defaults (demo
 * workspace, dev sign-in) but runs on a fresh native Postgres database, unless the test sets DATABASE_URL
 * itself or asks for `pglite` (tests of the embedded engine itself: its files on disk, what embedded
 * defaults expose).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { extraRouters?: Router[]; database?: Database; pglite?: boolean; migrateAtBoot?: boolean } = {},
): Promise<RunningApp & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-test-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', ...env });
  const database = opts.database ?? (await databaseForTestApp(env, config.dataDir, opts));
  const { pglite: _, migrateAtBoot: __, ...appOpts } = opts;
  const running = await startApp(config, createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    ...appOpts,
    database,
    // One reader per test process and bounds, shared by its apps.
    reader: sharedDocumentReader(readerBounds(config)),
  }).catch(async (err: unknown) => {
    await database?.close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...running,
    dataDir,
    async cleanup() {
      await running.stop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `npm run cli -- …` against a running test app, as the CLI does in embedded mode (the server's admin token). */
export async function runCli(app: RunningApp, argv: string[]): Promise<{ output: string; exitCode: number }> {
  const handle = await readServerHandle(app.container.config.dataDir);
  const res = await fetch(`${app.url}/admin/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-token': handle?.token ?? '' },
    body: JSON.stringify({ argv }),
  });
  return (await res.json()) as { output: string; exitCode: number };
}
