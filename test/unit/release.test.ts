import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseVersion } from '../../src/release.js';

describe('release version', () => {
  const root = mkdtempSync(join(tmpdir(), 'dalil-release-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ['content', 'locales', 'views', 'public', 'code']) mkdirSync(join(root, dir));
  const write = (file: string, text: string) => writeFileSync(join(root, file), text);
  write('content/a.yaml', 'title: a');
  write('locales/l.json', '{}');
  write('views/v.njk', '<p>');
  write('public/p.css', 'p{}');
  write('code/server.js', 'listen()');
  write('code/server.js.map', '{}');
  write('package-lock.json', '{"packages":{"node_modules/x":{"version":"1.0.0"}}}');
  const version = () => releaseVersion(root, '', join(root, 'code'));

  it('changes with the server code and with the dependencies’ versions, not only with content', () => {
    const first = version();
    expect(version()).toBe(first);
    write('code/server.js', 'listen(); drain()');
    const codeChanged = version();
    expect(codeChanged).not.toBe(first);
    write('package-lock.json', '{"packages":{"node_modules/x":{"version":"1.0.1"}}}');
    expect(version()).not.toBe(codeChanged);
    const lockChanged = version();
    write('code/server.js.map', '{"changed":true}');
    expect(version()).toBe(lockChanged);
    write('content/a.yaml', 'title: b');
    expect(version()).not.toBe(lockChanged);
  });
});
