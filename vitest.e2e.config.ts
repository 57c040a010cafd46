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
    globalSetup: ['tests/e2e/support/build-dashboard.ts'],
  },
});
