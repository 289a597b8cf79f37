import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/cache/key.js';
import type { ReleaseIndex } from '../../src/cache/release.js';
import { BASE_URL, ROOT, realSite } from '../helpers.js';
import { type RunningServer, startServer } from '../server.js';

const out = mkdtempSync(join(tmpdir(), 'dalil-edition-'));
let app: RunningServer;
let index: ReleaseIndex;
beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'dist/export.js'), '--out', out, '--base-url', BASE_URL], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: 'pipe',
  });
  index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as ReleaseIndex;
  // The edition is what the built app serves with FEEDBACK=off at the same address, rendering each page on demand.
  app = await startServer({ FEEDBACK: 'off', NODE_ENV: 'test', RELEASE_DIR: join(out, 'no-release'), LOG_LEVEL: 'warn' });
}, 180_000);
afterAll(() => {
  app?.kill();
  rmSync(out, { recursive: true, force: true });
});

/** An answer as sent, bytes undecoded. */
const raw = (origin: string, path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((done, fail) => {
    get(`${origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });

const { registry } = await realSite();
/** The file of an address (and, for the picker, a language), found as the server finds it: by its cache key. */
const file = (path: string, lang?: string) => join(out, index.pages[cacheKey(path, lang, registry)!]![0]);

/** Addresses of every kind the edition holds. */
const SAMPLE: Array<[string, string?]> = [
  ['/', 'fr'],
  ['/', 'ar'],
  ['/ps/'],
  ['/ar/guides/franceconnect'],
  ['/prs/guides/aidants-connect/print'],
  ['/en/guides/cnops/present/4'],
  ['/ar/guides/cnss-amo-tadamon?with=fr'],
  ['/fr/tools/orientation'],
  ['/fr/tools/orientation?knows-site=yes&has-account=no'],
  ['/en/tools/no-social-security-number?profile=asylum-seeker'],
  ['/ps/offline'],
  ['/ar/offline.json'],
  ['/prs/manifest.webmanifest'],
  ['/sw.js'],
  ['/ar/404'],
];

describe('npm run export: the static edition', () => {
  it.each(SAMPLE)('%s (%s): the file is the app’s body, byte for byte, and its .gz and .br hold the same', async (path, lang) => {
    const res = await raw(app.origin, path, { 'accept-encoding': 'identity', ...(lang ? { 'accept-language': lang } : {}) });
    const bytes = readFileSync(file(path, lang));
    expect(bytes.toString()).toBe(res.body.toString());
    expect(gunzipSync(readFileSync(`${file(path, lang)}.gz`)).equals(bytes)).toBe(true);
    expect(brotliDecompressSync(readFileSync(`${file(path, lang)}.br`)).equals(bytes)).toBe(true);
  });

  it('holds every known page, each guide beside each of its other languages, and every answer of the two small tools', () => {
    const keys = Object.keys(index.pages);
    expect(index.edition).toBe('static');
    expect(index.config).toEqual({ baseUrl: BASE_URL, feedback: false });
    expect(keys).toContain('/ps/guides/franceconnect?with=prs');
    // Four yes/no questions: yes up to each of them then no (4), all yes (1), and the three unfinished runs.
    expect(keys.filter((k) => k.startsWith('/fr/tools/orientation?'))).toHaveLength(8);
    expect(keys.filter((k) => k.startsWith('/fr/tools/no-social-security-number?'))).toHaveLength(7);
    expect(keys.filter((k) => k.startsWith('/fr/tools/identity-provider?'))).toEqual([]);
    for (const [key, [name]] of Object.entries(index.pages)) expect(existsSync(join(out, name)), key).toBe(true);
  });

  it('the provider checker, which cannot answer here, says so and leads to the providers’ cards; no form, no feedback form anywhere', () => {
    const checker = readFileSync(file('/en/tools/identity-provider'), 'utf8');
    expect(checker).toContain('This copy of Dalil cannot check your answers.');
    expect(checker).toMatch(/<a href="\/en\/guides\/franceconnect#providers">/);
    expect(checker).not.toContain('<form');
    const guide = readFileSync(file('/fr/guides/cnops'), 'utf8');
    expect(guide).not.toContain('data-screen-check');
    expect(guide).not.toContain('/report?step=');
  });

  it('comes with a README.txt dated and saying what is not included, and an nginx server block', () => {
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toContain(`Made on ${index.built} from release ${index.version}, for ${BASE_URL}.`);
    expect(readme).toMatch(/Not included: readers' feedback and problem reports, the editors' area/);
    expect(readFileSync(join(out, 'nginx.conf'), 'utf8')).toMatch(/^server \{$/m);
  });
});

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

describe.skipIf(!NGINX)('nginx (Debian’s package) serving the edition with its nginx.conf', () => {
  let nginx: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => done(p));
      });
    });
    const conf = join(out, 'test-nginx.conf');
    const server = readFileSync(join(out, 'nginx.conf'), 'utf8').replace('listen 8080;', `listen 127.0.0.1:${port};`);
    writeFileSync(join(out, 'server.conf'), server);
    writeFileSync(
      conf,
      `worker_processes 1; pid ${out}/nginx.pid; error_log ${out}/nginx-error.log; daemon off;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${out}; proxy_temp_path ${out}; fastcgi_temp_path ${out}; uwsgi_temp_path ${out}; scgi_temp_path ${out};
  include ${out}/server.conf; }`,
    );
    nginx = spawn(NGINX!, ['-c', conf, '-e', `${out}/nginx-error.log`], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`nginx did not start: ${readFileSync(`${out}/nginx-error.log`, 'utf8')}`);
  }, 30_000);
  afterAll(() => nginx?.kill());

  const fromNginx = (path: string, headers: Record<string, string>) => raw(`http://127.0.0.1:${port}`, path, headers);
  // nginx's own: its name, its validators, ranges; and what depends on the connection or the encoding.
  const OWN = new Set(['date', 'server', 'connection', 'keep-alive', 'etag', 'last-modified', 'accept-ranges', 'content-length', 'transfer-encoding']);
  const comparable = (h: IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !OWN.has(k)));

  it.each(SAMPLE.filter(([p]) => p !== '/ar/404'))('%s (%s): the app’s status, headers and bytes', async (path, lang) => {
    const headers = { 'accept-encoding': 'identity', ...(lang ? { 'accept-language': lang } : {}) };
    const [a, n] = [await raw(app.origin, path, headers), await fromNginx(path, headers)];
    expect(n.status).toBe(a.status);
    expect(comparable(n.headers)).toEqual(comparable(a.headers));
    expect(n.body.toString()).toBe(a.body.toString());
  });

  it.each([
    ['/ar/guides/nope', '/ar/404', 'ar'],
    ['/prs/nope', '/prs/404', 'fa-AF'],
    // An answer the edition does not hold (the app would say which answer is wrong, with a 400).
    ['/fr/tools/orientation?knows-site=perhaps', '/fr/404', 'fr'],
    ['/nope', '/404', 'fr'],
  ])('%s: a 404 page in the language of the address, never cached', async (path, page, lang) => {
    const n = await fromNginx(path, { 'accept-encoding': 'identity' });
    expect(n.status).toBe(404);
    expect(n.headers['content-language']).toBe(lang);
    expect(n.headers['cache-control']).toBe('no-store');
    expect(n.body.equals(readFileSync(file(page)))).toBe(true);
  });

  it('sends the brotli file to a browser that takes it, the gzip one to one that takes only gzip, and 304 to a matching validator', async () => {
    const plain = await fromNginx('/ar/guides/franceconnect', { 'accept-encoding': 'identity' });
    const br = await fromNginx('/ar/guides/franceconnect', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gz = await fromNginx('/ar/guides/franceconnect', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const again = await fromNginx('/ar/guides/franceconnect', { 'accept-encoding': 'gzip, br', 'if-none-match': br.headers.etag! });
    expect(again.status).toBe(304);
  });
});
