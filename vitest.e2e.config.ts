import { defineConfig } from 'vitest/config';

/**
 * The end-to-end suite (`npm run test:e2e`): the real server on temporary SQLite files, driven by
 * Debian's Chromium through playwright-core. Kept apart from `npm test`, which excludes test/e2e.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    // Each file starts its own server and browser; two at a time keep a small CI machine busy.
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
