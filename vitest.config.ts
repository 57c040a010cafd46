import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    exclude: ['tests/e2e/**', 'tests/faults/**', 'node_modules/**'],
    // Each file gets its own process: PGlite instances and nock state never leak between files.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ['tests/support/setup.ts'],
    // With TEST_DATABASE_URL (npm run test:native): migrates one template database per run.
    globalSetup: ['tests/support/global-setup.ts'],
  },
});
