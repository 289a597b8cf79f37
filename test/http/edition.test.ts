import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/cache/key.js';
import type { ReleaseIndex } from '../../src/cache/release.js';
import { BASE_URL, ROOT, realSite } from '../helpers.js';
import { type RunningServer, startServer } from '../server.js';

const out = mkdtempSync(join(tmpdir(), 'dalil-edition-'));
/** What nginx serves: the site folder, with nginx.conf, README.txt and index.json beside it. */
const site = join(out, 'site');
let app: RunningServer;
let index: ReleaseIndex;
beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'dist/export.js'), '--out', out, '--base-url', BASE_URL], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: 'pipe',
  });
  index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as ReleaseIndex;
  // A page beside the site folder, where "/fr/?../../elsewhere/page" would lead if a query string were taken for a file name.
  mkdirSync(join(out, 'elsewhere'), { recursive: true });
  writeFileSync(join(out, 'elsewhere/page.html'), 'OUTSIDE the site');
  writeFileSync(join(out, 'elsewhere/page.html.br'), brotliCompressSync('OUTSIDE the site, its brotli'));
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
    // The path as given, not normalized ("/../x" reaches the server as it is).
    get({ host: new URL(origin).hostname, port: new URL(origin).port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });

const { registry } = await realSite();
/** The file of an address (and, for the picker, a language), found as the server finds it: by its cache key. */
const file = (path: string, lang?: string) => join(site, index.pages[cacheKey(path, lang, registry)!]![0]);

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
    for (const [key, [name]] of Object.entries(index.pages)) expect(existsSync(join(site, name)), key).toBe(true);
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

  it('comes with a README.txt dated and saying what is not included, an nginx server block and the index, beside the site, not in it', () => {
    const readme = readFileSync(join(out, 'README.txt'), 'utf8');
    expect(readme).toContain(`Made on ${index.built} from release ${index.version}, for ${BASE_URL}.`);
    expect(readme).toMatch(/Not included: readers' feedback and problem reports, the editors' area/);
    const conf = readFileSync(join(out, 'nginx.conf'), 'utf8');
    expect(conf).toMatch(/^server \{$/m);
    expect(conf).toMatch(/^map \$args \$dalil_page \{$/m);
    expect(conf).toContain(`  root ${site};\n`);
    for (const name of ['README.txt', 'nginx.conf', 'index.json']) expect(existsSync(join(site, name)), name).toBe(false);
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

  /** Decoded as the browser would. */
  const decoded = (res: { headers: IncomingHttpHeaders; body: Buffer }) =>
    res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body;

  it.each([
    '/fr/?../../elsewhere/page',
    '/fr/?%2e%2e/%2e%2e/elsewhere/page',
    '/fr/?%2E%2E%2F%2E%2E%2Felsewhere%2Fpage',
    '/fr/?..%2f..%2felsewhere/page',
    '/fr/guides/franceconnect?../../../../elsewhere/page',
    '/fr/tools/orientation?../../../../elsewhere/page',
    '/fr/tools/orientation?%2e%2e/%2e%2e/%2e%2e/%2e%2e/elsewhere/page',
  ])('%s: never a file outside the site; the page without its query where the app answers it, else a 404', async (path) => {
    for (const encoding of ['identity', 'gzip', 'gzip, deflate, br']) {
      const [a, n] = [await raw(app.origin, path, { 'accept-encoding': 'identity' }), await fromNginx(path, { 'accept-encoding': encoding })];
      expect(decoded(n).toString(), encoding).not.toContain('OUTSIDE');
      if (a.status === 200) {
        expect(n.status, encoding).toBe(200);
        expect(decoded(n).equals(a.body), encoding).toBe(true);
      } else {
        // A tool refuses a query it does not know (400); the edition has no file for it.
        expect(a.status).toBe(400);
        expect(n.status, encoding).toBe(404);
      }
    }
  });

  // Helmet's headers and the Permissions-Policy: on every answer of the app, errors and redirects included.
  const SECURITY = [
    'content-security-policy',
    'cross-origin-opener-policy',
    'cross-origin-resource-policy',
    'origin-agent-cluster',
    'permissions-policy',
    'referrer-policy',
    'strict-transport-security',
    'x-content-type-options',
    'x-dns-prefetch-control',
    'x-frame-options',
  ];
  const security = (h: IncomingHttpHeaders) => Object.fromEntries(SECURITY.map((name) => [name, h[name]]));

  it.each([
    '/nginx.conf',
    '/README.txt',
    '/index.json',
    '/site/index.html',
    '/elsewhere/page.html',
    '/index.html',
    '/fr/index.html',
    '/sw.js.br',
    '/fr/index.html.gz',
    '/assets/',
    '/nope',
    '/ar/guides/nope',
  ])('%s: the 404 the app answers, with the app’s security headers, nothing beside the site', async (path) => {
    const [a, n] = [await raw(app.origin, path, { 'accept-encoding': 'identity' }), await fromNginx(path, { 'accept-encoding': 'identity' })];
    expect(a.status).toBe(404);
    expect(n.status).toBe(404);
    for (const name of SECURITY) expect(a.headers[name], name).toBeDefined();
    expect(security(n.headers)).toEqual(security(a.headers));
    expect(n.body.toString()).not.toMatch(/OUTSIDE|server \{|static edition/);
  });

  it('answers what nginx refuses before any page, and a language without its slash, with the app’s security headers', async () => {
    for (const path of ['/../nginx.conf', '/fr/../../nginx.conf', '/%2e%2e/README.txt']) {
      const n = await fromNginx(path, { 'accept-encoding': 'identity' });
      expect([400, 404], path).toContain(n.status);
      expect(security(n.headers), path).toEqual(security((await raw(app.origin, '/nope', {})).headers));
      expect(n.body.toString(), path).not.toMatch(/server \{|static edition/);
    }
    const [a, n] = [await raw(app.origin, '/fr', {}), await fromNginx('/fr', {})];
    expect([n.status, n.headers.location]).toEqual([a.status, a.headers.location]);
    expect(security(n.headers)).toEqual(security(a.headers));
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
