import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReleaseIndex } from '../../src/cache/release.js';
import { TEST_RELEASE } from '../global-setup.js';
import { BASE_URL, ROOT } from '../helpers.js';
import { spawnServer, startServer } from '../server.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'dalil-release-test-'));
  temps.push(d);
  return d;
};

/** A copy of the tests' release, to change without disturbing the other tests. */
function releaseCopy() {
  const dir = temp();
  cpSync(join(ROOT, TEST_RELEASE), dir, { recursive: true });
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as ReleaseIndex;
  return { dir, index, file: (key: string) => join(dir, index.files, index.pages[key]![0]) };
}

/** The bytes as sent (fetch would decode them). */
const get = (origin: string, path: string, encoding = 'identity') =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((done, fail) => {
    httpGet(`${origin}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });

describe('the server answers from the release the build made', () => {
  it('pages come from its files (a byte changed there is the byte served), in brotli from the first request; the log names the release', async () => {
    const { dir, index, file } = releaseCopy();
    const page = file('/ar/guides/franceconnect');
    writeFileSync(page, readFileSync(page, 'utf8').replace('<main id="main"', '<main data-from-release id="main"'));
    const server = await startServer({ RELEASE_DIR: dir, LOG_LEVEL: 'info' });
    try {
      expect(server.output().stdout).toContain(`"release":{"dir":"${dir}","version":"${index.version}","pages":${Object.keys(index.pages).length}}`);
      expect((await get(server.origin, '/ar/guides/franceconnect')).body.toString()).toContain('data-from-release');
      const br = await get(server.origin, '/fr/guides/cnops', 'gzip, br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(readFileSync(file('/fr/guides/cnops')))).toBe(true);
      expect(br.headers.etag).toBe(`"${index.pages['/fr/guides/cnops']![3]}-br"`);
      // An answer of the orientation chart is in the release too; a bilingual page is rendered on demand.
      const orientation = await get(server.origin, '/en/tools/orientation?knows-site=yes&has-account=no', 'gzip, br');
      expect(orientation.headers['content-encoding']).toBe('br');
      expect((await get(server.origin, '/ar/guides/franceconnect?with=fr')).body.toString()).not.toContain('data-from-release');
    } finally {
      server.kill();
    }
  });

  it('takes the checked content from the release’s snapshot: pages rendered on demand are those of the content files', async () => {
    const fromRelease = await startServer({ LOG_LEVEL: 'info' });
    const fromFiles = await startServer({ RELEASE_DIR: temp(), NODE_ENV: 'development', LOG_LEVEL: 'info' });
    try {
      expect(fromRelease.output().stdout).toContain('"content":"release"');
      expect(fromFiles.output().stdout).toContain('"content":"files"');
      for (const path of ['/ar/guides/franceconnect?with=fr', '/prs/tools/identity-provider?answered=1&has=smartphone', '/fr/guides/cnops/report?step=2']) {
        const [a, b] = await Promise.all([get(fromRelease.origin, path), get(fromFiles.origin, path)]);
        expect(a.status, path).toBe(200);
        expect(a.body.equals(b.body), path).toBe(true);
      }
    } finally {
      fromRelease.kill();
      fromFiles.kill();
    }
  });

  it('content changed since the build is checked again at start: broken, the server refuses, naming the file, the field and the problem', async () => {
    const content = temp();
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    const ar = join(content, 'guides/cnops/ar.yaml');
    writeFileSync(ar, readFileSync(ar, 'utf8').replace(/^title: .*$/m, 'title: ""'));
    const server = spawnServer({ CONTENT_DIR: content });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toMatch(/Dalil cannot start\.\n[^\n]*\n.*guides\/cnops\/ar\.yaml: title: is empty/);
  });

  it('in production, refuses to start without a release, or with one made from other content or code, naming the command', async () => {
    const empty = temp();
    const stale = releaseCopy();
    writeFileSync(join(stale.dir, 'index.json'), JSON.stringify({ ...stale.index, version: '000000000000' }));
    for (const dir of [empty, stale.dir]) {
      const server = spawnServer({ RELEASE_DIR: dir });
      expect(await server.exited).toBe(1);
      expect(server.output().stderr).toContain('Dalil cannot start.');
      expect(server.output().stderr).toContain('npm run build');
      expect(server.output().stdout).not.toContain('"msg":"listening"');
    }
  });

  it('in development, a release older than the content is set aside: pages are rendered on demand, with a warning', async () => {
    const stale = releaseCopy();
    writeFileSync(stale.file('/fr/'), '<!DOCTYPE html><title>old</title>');
    writeFileSync(join(stale.dir, 'index.json'), JSON.stringify({ ...stale.index, version: '000000000000' }));
    const server = await startServer({ RELEASE_DIR: stale.dir, NODE_ENV: 'development' });
    try {
      expect(server.output().stdout).toContain('the release was built from other content or code');
      const home = await get(server.origin, '/fr/');
      expect(home.status).toBe(200);
      expect(home.body.toString()).not.toContain('<title>old</title>');
    } finally {
      server.kill();
    }
  });

  it('a server with another address renders its own pages (they carry its address), with a warning', async () => {
    const server = await startServer({ BASE_URL: 'https://aide.example.org' });
    try {
      expect(server.output().stdout).toContain(`the release was built for BASE_URL=${BASE_URL}`);
      expect((await get(server.origin, '/fr/guides/cnops')).body.toString()).toContain('href="https://aide.example.org/ar/guides/cnops"');
    } finally {
      server.kill();
    }
  });
});

describe('CONTENT_DIR: another content folder, built and served', () => {
  it('a copy of the guides with one title changed is what its release and its server show', async () => {
    const content = temp();
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    const fr = join(content, 'guides/cnops/fr.yaml');
    writeFileSync(fr, readFileSync(fr, 'utf8').replace(/^title: .*$/m, 'title: Aperçu d’une branche de contenu'));
    const release = temp();
    const env = { PATH: process.env.PATH ?? '', CONTENT_DIR: content, RELEASE_DIR: release, BASE_URL };
    execFileSync(process.execPath, [join(ROOT, 'dist/build.js')], { env, stdio: 'pipe' });
    const server = await startServer({ CONTENT_DIR: content, RELEASE_DIR: release });
    try {
      expect(server.output().stdout).toContain(`"release":{"dir":"${release}"`);
      expect((await get(server.origin, '/fr/guides/cnops')).body.toString()).toContain('<h1>Aperçu d’une branche de contenu</h1>');
    } finally {
      server.kill();
    }

    // The release of what changed (a publish of that guide), made from the tests' release: the same
    // pages, byte for byte, as the whole build's; the other guides' pages are the files it had.
    const { dir: partial, index: before } = releaseCopy();
    const said = execFileSync(process.execPath, [join(ROOT, 'dist/build.js'), '--changed', 'cnops'], {
      env: { ...env, RELEASE_DIR: partial },
      encoding: 'utf8',
    });
    const whole = JSON.parse(readFileSync(join(release, 'index.json'), 'utf8')) as ReleaseIndex;
    const part = JSON.parse(readFileSync(join(partial, 'index.json'), 'utf8')) as ReleaseIndex;
    const reused = Number(/, (\d+) of them taken from the release before/.exec(said)![1]);
    expect(reused).toBeGreaterThan(Object.keys(whole.pages).length / 2);
    expect(part.version).toBe(whole.version);
    expect(Object.fromEntries(Object.entries(part.pages).map(([k, p]) => [k, p[3]]))).toEqual(
      Object.fromEntries(Object.entries(whole.pages).map(([k, p]) => [k, p[3]])),
    );
    const unchanged = join(partial, part.files, part.pages['/fr/guides/franceconnect']![0]);
    expect(statSync(unchanged).nlink).toBeGreaterThan(1);
    expect(readFileSync(unchanged)).toEqual(readFileSync(join(partial, before.files, before.pages['/fr/guides/franceconnect']![0])));
  }, 90_000);

  it('a build of what is already built today, from the same sources, keeps that release as it is', () => {
    const { dir } = releaseCopy();
    const index = readFileSync(join(dir, 'index.json'), 'utf8');
    const env = { PATH: process.env.PATH ?? '', RELEASE_DIR: dir, BASE_URL };
    expect(execFileSync(process.execPath, [join(ROOT, 'dist/build.js')], { env, encoding: 'utf8' })).toMatch(/^Release [0-9a-f]+ is already in .*: kept/);
    expect(readFileSync(join(dir, 'index.json'), 'utf8')).toBe(index);
  }, 60_000);

  it('broken content stops the build, naming the file, the field and the problem', () => {
    const content = temp();
    cpSync(join(ROOT, 'content'), content, { recursive: true });
    const guide = join(content, 'guides/cnops/guide.yaml');
    writeFileSync(guide, readFileSync(guide, 'utf8').replace('country: MA', 'country: Maroc'));
    const env = { PATH: process.env.PATH ?? '', CONTENT_DIR: content, RELEASE_DIR: temp(), BASE_URL };
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'dist/build.js')], { env, stdio: 'pipe' });
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/Build stopped: 1 problem\(s\) in the content\.\n.*guides\/cnops\/guide\.yaml: country: must be an ISO 3166 code/);
  });
});
