import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server on embedded defaults, driven in headless Chromium
// (Debian's `chromium` through playwright-core). `npm run test:e2e`; CI runs them after `npm test`.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['tests/support/setup.ts'],
    // A migrated PGlite snapshot per run (each test app starts on a copy), then the dashboard build.
    globalSetup: ['tests/support/global-setup.ts', 'tests/e2e/support/build-dashboard.ts'],
  },
});
