import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

/** The V8 flags npm start gives the server (package.json, the flags' one home). */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const flags = /\bnode((?: --\S+)*) dist\/server\.js/.exec(start);
  expect(flags, `package.json's start script runs node … dist/server.js: ${start}`).not.toBeNull();
  return flags![1]!.split(' ').filter(Boolean);
}

describe('how production starts the server', () => {
  it('the container starts it with the same V8 flags as npm start', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(cmd, 'the Dockerfile has a CMD in exec form').not.toBeNull();
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...startFlags(), 'dist/server.js']);
  });

  it("with them, this Node's young generation starts at 8 MB, the size V8 never shrinks it below after an idle pause", () => {
    // V8 shrinks the young generation to its initial size when idle; its collections, then eight
    // times as frequent, cost ~5,000 instructions more per cached answer (npm run bench).
    const newSpace = (flags: string[]) =>
      Number(
        execFileSync(
          process.execPath,
          [...flags, '-e', "console.log(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)"],
          { encoding: 'utf8' },
        ),
      );
    expect(newSpace(startFlags())).toBe(8 * 1024 * 1024);
    expect(newSpace([])).toBeLessThan(8 * 1024 * 1024);
  });
});
