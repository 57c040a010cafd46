import { defineConfig } from 'vitest/config';

// What both projects share. Each file gets its own process (`forks`).
const shared = {
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  setupFiles: ['tests/support/setup.ts'],
};

export default defineConfig({
  test: {
    // One file at a time (vitest's default on 2 cores). Two at once (`--maxWorkers=2`) measured 411–442 s
    // instead of ~650 on PGlite, but surfaced timing races in tests: two are fixed, one (an app that did not
    // stop within 60 s after slack-install.test.ts) is not understood yet, so it is not the default.
    projects: [
      {
        // Pure logic with no database, server or module-level state to leak: one module graph per worker,
        // so the 40-odd files stop re-importing the same modules (measured: about half the CPU).
        test: { ...shared, name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], isolate: false },
      },
      {
        // Isolated: PGlite instances, started apps and nock state never leak between files.
        test: {
          ...shared,
          name: 'integration',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: ['tests/unit/**', 'tests/e2e/**', 'tests/faults/**', 'node_modules/**'],
          // Migrates once per run: a PGlite snapshot, and with TEST_DATABASE_URL a native template database.
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
    ],
  },
});
