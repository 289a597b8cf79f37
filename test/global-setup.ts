import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Builds dist/ once, before any test worker starts: the tests that run the real server share it. */
export default function setup() {
  const root = join(import.meta.dirname, '..');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
}
