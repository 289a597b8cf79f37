import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The release the tests' server processes answer from, built for their address. */
export const TEST_RELEASE = '.cache/test-release';
export const TEST_BASE_URL = 'https://dalil.test';

/**
 * Builds dist/ once, before any test worker starts, and the release the tests that run the real
 * server share: what `npm run build` does, into a folder of the tests' own.
 */
export default function setup() {
  const root = join(import.meta.dirname, '..');
  // Each project of the run calls this: the first does the work.
  const mark = join(root, '.cache/test-setup.pid');
  try {
    if (readFileSync(mark, 'utf8') === String(process.pid)) return;
  } catch {
    // first run here
  }
  mkdirSync(join(root, '.cache'), { recursive: true });
  writeFileSync(mark, String(process.pid));
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  // Two runs at once (two checkouts' worth of work on one machine) build one after the other: the
  // second finds the release made and keeps it.
  const lock = join(root, '.cache/test-release.lock');
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (i > 1200) rmSync(lock, { force: true });
      execFileSync('sleep', ['0.1']);
    }
  }
  try {
    execFileSync(process.execPath, [join(root, 'dist/build.js')], {
      cwd: root,
      stdio: 'inherit',
      env: { PATH: process.env.PATH ?? '', RELEASE_DIR: TEST_RELEASE, BASE_URL: TEST_BASE_URL },
    });
  } finally {
    rmSync(lock, { force: true });
  }
}
