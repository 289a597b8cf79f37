import { createServer, get, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/cache/store.js';
import { loadConfig } from '../../src/config.js';
import { createHandler } from '../../src/handler.js';
import { urls } from '../../src/urls.js';
import { BASE_URL, realSite } from '../helpers.js';

/** The server's handler (fast path, then Express) with its log lines kept to tell hits from renders. */
async function server(maxDynamic?: number) {
  const lines: Array<{ path: string; status: number; cache?: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  const config = loadConfig({ NODE_ENV: 'test', BASE_URL });
  const built = createHandler({ config, site: await realSite(), logger, ...(maxDynamic ? { cache: createCache({ maxEntries: maxDynamic }) } : {}) });
  return { ...built, lines };
}

/** The bytes as sent, over a real socket: no client-side decompression, the path sent as written. */
async function raw(handle: RequestListener, path: string, acceptEncoding: string, headers: Record<string, string> = {}) {
  const server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const res = await new Promise<IncomingMessage>((done) => get({ port, path, headers: { 'accept-encoding': acceptEncoding, ...headers } }, done));
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  server.close();
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}

const withoutDate = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)));

describe('render cache and fast path', () => {
  it.each([
    ['/ar/guides/franceconnect', {}],
    ['/prs/tools/identity-provider?has=msa-membership&answered=1', {}],
    ['/', { 'accept-language': 'ar' }],
    ['/fr/guides/cnops/present/3?with=ar', {}],
  ])('%s: the cache hit carries exactly the headers and body of the first (Express) answer', async (path, headers) => {
    const s = await server();
    const first = await request(s.handle).get(path).set(headers).set('accept-encoding', 'gzip');
    const second = await request(s.handle).get(path).set(headers).set('accept-encoding', 'gzip');
    expect(first.status).toBe(200);
    expect(s.lines.map((l) => l.cache ?? 'express')).toEqual(['express', 'hit']);
    expect(withoutDate(second.headers)).toEqual(withoutDate(first.headers));
    expect(second.text).toBe(first.text);
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");
    expect(first.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(first.headers.etag).toMatch(/^"[\w-]+-gz"$/);
    expect(first.headers.vary).toMatch(/Accept-Encoding/);
  });

  it('keeps one picker per negotiated language', async () => {
    const s = await server();
    const ar = await request(s.handle).get('/').set('accept-language', 'ar');
    const fr = await request(s.handle).get('/').set('accept-language', 'fr');
    const ar2 = await request(s.handle).get('/').set('accept-language', 'ar-MA,ar;q=0.9');
    expect([ar.headers['content-language'], fr.headers['content-language'], ar2.headers['content-language']]).toEqual(['ar', 'fr', 'ar']);
    expect(s.lines.map((l) => l.cache ?? 'express')).toEqual(['express', 'express', 'hit']);
  });

  it('answers 304 to a matching If-None-Match, in any of its forms, and 200 to a nonsensical one', async () => {
    const s = await server();
    // The page's brotli is made off the request path: its ETag is the one to revalidate once it is there.
    let etag = '';
    await expect
      .poll(async () => (etag = (await request(s.handle).get('/en/guides/cnops').set('accept-encoding', 'br, gzip')).headers.etag!), {
        timeout: 10_000,
        interval: 50,
      })
      .toMatch(/-br"$/);
    for (const header of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const res = await request(s.handle).get('/en/guides/cnops').set('accept-encoding', 'br, gzip').set('if-none-match', header);
      expect(res.status, header).toBe(304);
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(etag);
    }
    for (const header of ['"x"'.repeat(2000), ',,,', 'W/']) {
      expect((await request(s.handle).get('/en/guides/cnops').set('if-none-match', header)).status).toBe(200);
    }
  });

  it('compresses once: gzip at once, brotli 11 off the request path, the identity when asked', async () => {
    const s = await server();
    const plain = await raw(s.handle, '/fr/', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    await expect.poll(async () => (await raw(s.handle, '/fr/', 'gzip, br')).headers['content-encoding']).toBe('br');
    const br = await raw(s.handle, '/fr/', 'gzip, br');
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    const gz = await raw(s.handle, '/fr/', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    expect(br.body.length).toBeLessThan(gz.body.length);
  });

  it('serves the stylesheet and the script under fingerprinted names, kept a year', async () => {
    const s = await server();
    const page = await request(s.handle).get('/fr/guides/cnops/present/1');
    const css = /<link rel="stylesheet" href="(\/assets\/css\/site\.[0-9a-f]{10}\.css)">/.exec(page.text)![1]!;
    const js = /<script src="(\/assets\/js\/present\.[0-9a-f]{10}\.js)" defer>/.exec(page.text)![1]!;
    for (const url of [css, js, css]) {
      const res = await request(s.handle).get(url);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(s.lines.filter((l) => l.path.startsWith('/assets/')).map((l) => l.cache ?? 'express')).toEqual(['express', 'express', 'hit']);
  });

  it('keeps localized 4xx pages (not for browsers), never one whose language came from Accept-Language, and bounds the pages met after start', async () => {
    const s = await server(3);
    await request(s.handle).get('/fr/guides/nope');
    const again = await request(s.handle).get('/fr/guides/nope');
    expect(again.status).toBe(404);
    expect(again.headers['cache-control']).toBe('no-store');
    const ar = await request(s.handle).get('/xx/').set('accept-language', 'ar');
    const fr = await request(s.handle).get('/xx/').set('accept-language', 'fr');
    expect([ar.headers['content-language'], fr.headers['content-language']]).toEqual(['ar', 'fr']);
    expect(s.lines.map((l) => l.cache ?? 'express')).toEqual(['express', 'hit', 'express', 'express']);
    for (const profile of ['asylum-seeker', 'self-employed', 'agricultural', 'born-in-france', 'employee-or-unemployed']) {
      await request(s.handle).get(`/en/tools/no-social-security-number?profile=${profile}`);
    }
    expect(s.cache.size().entries).toBe(3);
  });

  it('builds the brotli of a page rendered on demand (a tool’s answer) off the request path, as soon as it is rendered', async () => {
    const s = await server();
    const path = '/en/tools/identity-provider?answered=1&has=msa-membership';
    // First time: rendered, gzip only; a client that takes only brotli gets the identity.
    expect((await raw(s.handle, path, 'br')).headers['content-encoding']).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      if ((await raw(s.handle, path, 'br, gzip')).headers['content-encoding'] === 'br') return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('brotli was never built');
  });

  it('knows the pages a release holds: each answers 200, and a reader who follows links (without a query) never leaves them', async () => {
    const s = await server();
    const known = new Set(s.known.map((k) => k.url));
    const outside = new Set<string>();
    for (const page of s.known) {
      const res = await request(s.handle)
        .get(page.url)
        .set(page.acceptLanguage ? { 'accept-language': page.acceptLanguage } : {});
      expect(res.status, page.url).toBe(200);
      if (!String(res.headers['content-type']).startsWith('text/html')) continue;
      for (const [, href] of res.text.matchAll(/<a\b[^>]*\bhref="(\/[^"]*)"/g)) {
        const path = href!.split('#')[0]!;
        if (!path.includes('?') && !known.has(path)) outside.add(`${page.url} → ${path}`);
      }
    }
    expect([...outside]).toEqual([]);
    // Every guide in each of its languages: the page, its handout, each of its help-desk screens.
    const { catalogue } = await realSite();
    for (const g of catalogue.guides) {
      for (const l of g.languages) {
        expect(known).toContain(urls.present(l, g.slug, g.parts.length));
        expect(known).not.toContain(urls.present(l, g.slug, g.parts.length + 1));
      }
    }
  });

  it.each([
    ['br;q=0, gzip;q=0', undefined],
    ['GZIP', 'gzip'],
    ['br;q=0', undefined],
    ['identity;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
  ])('Accept-Encoding %j gets %s, from Express and from the cache alike', async (header, coding) => {
    const s = await server();
    const path = '/fr/tools/orientation?knows-site=yes&has-account=yes';
    const first = await raw(s.handle, path, header);
    const second = await raw(s.handle, path, header);
    expect(s.lines.map((l) => l.cache ?? 'express')).toEqual(['express', 'hit']);
    expect([first.headers['content-encoding'], second.headers['content-encoding']]).toEqual([coding, coding]);
  });

  it('answers If-None-Match: * with 304 on a page, never on an error page', async () => {
    const s = await server();
    expect((await request(s.handle).get('/en/guides/cnops').set('if-none-match', '*')).status).toBe(304);
    for (const path of ['/fr/guides/nope', '/ar/tools/orientation?knows-site=maybe']) {
      for (let i = 0; i < 2; i++) {
        const res = await request(s.handle).get(path).set('if-none-match', '*');
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.text).toContain('</html>');
      }
    }
  });

  it('refuses a raw "#" and more parameters than any page takes with a localized 400, so that one URL is never answered with another’s page', async () => {
    const s = await server();
    const poisoned = await raw(s.handle, '/fr/tools/orientation?knows-site=no#&knows-site=yes', 'identity');
    expect(poisoned.status).toBe(400);
    expect(poisoned.headers['content-language']).toBe('fr');
    // The URL the poisoned one would have shared a key with gets its own answer: a 400 naming its value.
    const other = await raw(s.handle, '/fr/tools/orientation?knows-site=no%23&knows-site=yes', 'identity');
    expect(other.status).toBe(400);
    expect(other.body.toString()).toContain('data-reason="toolRepeated"');
    const many = await raw(s.handle, `/ar/guides/cnops?${'x=1&'.repeat(70)}`, 'identity');
    expect(many.status).toBe(400);
    expect(many.headers['content-language']).toBe('ar');
  });
});
