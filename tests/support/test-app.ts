import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { type RunningApp, startApp } from '../../src/main.js';

/** The real app (composition root included) on embedded defaults in a temp DATA_DIR, on a free port. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { extraRouters?: Router[] } = {},
): Promise<RunningApp & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lore-test-'));
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, NODE_ENV: 'test', ...env });
  const running = await startApp(
    config,
    createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    opts,
  );
  return {
    ...running,
    dataDir,
    async cleanup() {
      await running.stop().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
