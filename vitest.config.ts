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
    // Two files at once on this 2-core machine (vitest's default is cores − 1): most files spend much of
    // their time waiting on child processes, sockets and timers, so the second core is not left idle.
    maxWorkers: 2,
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
