import { defineConfig } from 'vitest/config';

// What both projects share: worker processes (`forks`), each running its files one after another in one
// module graph (`isolate: false`), two workers at once (the machine's two cores; a third was measured no
// faster: 200 s against 195 s, with more CPU).
const shared = {
  pool: 'forks' as const,
  isolate: false,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  setupFiles: ['tests/support/setup.ts'],
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    // Why one module graph per worker: an isolated file re-imported the app (Bolt, Express, the SDKs) in a
    // new process every time, about 4 s per file and most of the suite's CPU. Files still share nothing else:
    // each gets its own freshly migrated database (`tests/support/test-db.ts`) and its own apps on free ports,
    // uses its own Redis keys, and `tests/support/setup.ts` resets nock after every test.
    projects: [
      { test: { ...shared, name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'] } },
      {
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
