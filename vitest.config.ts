import { defineConfig } from 'vitest/config';
import SlowestFiles from './test/slowest.js';

/** Tests that measure the server process's memory and descriptors: they run first, on a quiet machine. */
const RESOURCES = ['test/http/hardening.test.ts'];

/**
 * The HTTP tests that run the real server in a process of its own through every kind of request
 * (5,000 odd ones; start, shutdown and drain): run a second time with FAST_SHAPES=off, Node's and
 * Express's stock objects, so that an upgrade that moves what the shapes rely on makes the server
 * slower, never wrong. (Most other HTTP tests build the Express app alone, which the switch does
 * not touch; test/http/shapes.test.ts compares the answers of both.)
 */
const SERVER = ['test/http/fuzz.test.ts', 'test/http/process.test.ts'];

/**
 * npm run test:quick (DALIL_TESTS=quick), the inner loop: the unit, store and HTTP tests but those
 * that build a whole release or static edition (the publish test builds one, and kills servers), in
 * one run; npm test runs everything.
 */
const QUICK = process.env.DALIL_TESTS === 'quick';
const WHOLE_BUILDS = ['test/http/release.test.ts', 'test/http/edition.test.ts', 'test/http/publish-crash.test.ts'];

export default defineConfig({
  test: {
    // dist/ is built once, before the workers start: tests that run the real server share it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SlowestFiles()],
    projects: QUICK
      ? [{ extends: true, test: { name: 'quick', include: ['test/{unit,http,store}/**/*.test.ts'], exclude: [...RESOURCES, ...WHOLE_BUILDS], maxWorkers: 2 } }]
      : [
          { extends: true, test: { name: 'resources', include: RESOURCES, maxWorkers: 1, sequence: { groupOrder: 0 } } },
          // Two cores here: two workers, browser tests included.
          { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: RESOURCES, maxWorkers: 2, sequence: { groupOrder: 1 } } },
          { extends: true, test: { name: 'shapes-off', include: SERVER, env: { FAST_SHAPES: 'off' }, maxWorkers: 2, sequence: { groupOrder: 1 } } },
        ],
  },
});
