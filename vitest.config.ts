import { defineConfig } from 'vitest/config';

/** Tests that measure the server process's memory and descriptors: they run first, on a quiet machine. */
const RESOURCES = ['test/http/hardening.test.ts'];

export default defineConfig({
  test: {
    // dist/ is built once, before the workers start: tests that run the real server share it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'resources', include: RESOURCES, maxWorkers: 1, sequence: { groupOrder: 0 } } },
      // Two cores here: two workers, browser tests included.
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: RESOURCES, maxWorkers: 2, sequence: { groupOrder: 1 } } },
    ],
  },
});
