import { defineConfig } from 'vitest/config';

// Slow checks that hurt the machine on purpose: hostile files, and the production topology (built server,
// separate web and worker processes, kills and restarts; native Postgres via TEST_DATABASE_URL).
// `npm run test:faults`; CI runs them after `npm test`, one file at a time so their bounds are not shared.
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/support/setup.ts'],
    // With TEST_DATABASE_URL: one migrated template per run, each test database a copy (as in npm test).
    globalSetup: ['tests/support/global-setup.ts', 'tests/faults/support/build-server.ts'],
  },
});
