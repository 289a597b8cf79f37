import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/cache/encoding.js';
import { answer, makeEntry } from '../../src/cache/entry.js';
import { cacheKey, canonicalQuery, MAX_PARAMS, parseQuery, targetProblem } from '../../src/cache/key.js';
import { openRelease, pageFile, releaseProblem, writePageFiles, writeReleaseIndex } from '../../src/cache/release.js';
import { createCache } from '../../src/cache/store.js';
import { createRegistry } from '../../src/languages.js';

describe('Accept-Encoding (RFC 9110 §12.5.3)', () => {
  it.each([
    // header, brotli built yet?, coding sent
    [undefined, true, 'identity'],
    ['', true, 'identity'],
    ['gzip, deflate, br, zstd', true, 'br'],
    ['gzip, deflate, br, zstd', false, 'gzip'],
    ['br', false, 'identity'],
    ['GZIP', true, 'gzip'],
    ['Br', true, 'br'],
    ['x-gzip', true, 'gzip'],
    ['br;q=0', true, 'identity'],
    ['br;q=0, gzip', true, 'gzip'],
    ['gzip;q=0', true, 'identity'],
    ['gzip;q=0, br;q=0', true, 'identity'],
    ['br;q=0.5, gzip;q=0.8', true, 'gzip'],
    ['br;q=0.8, gzip;q=0.8', true, 'br'],
    ['gzip;q=0.8, identity;q=0.9', true, 'identity'],
    // On a tie, the smaller body: br, then gzip, then identity.
    ['br;q=0.5, identity;q=0.5', true, 'br'],
    ['gzip;q=0.5, identity;q=0.5', true, 'gzip'],
    ['br;q=0.3, gzip;q=0.5, identity;q=0.5', true, 'gzip'],
    ['br;q=0.5, gzip;q=0.5, identity;q=0.6', true, 'identity'],
    ['*', true, 'br'],
    ['*', false, 'gzip'],
    ['*;q=0', true, 'identity'],
    ['*;q=0, gzip', true, 'gzip'],
    ['br;q=0, *', true, 'gzip'],
    ['identity;q=0', true, 'identity'],
    ['identity;q=0, gzip', true, 'gzip'],
    ['gzip;q=abc', true, 'identity'],
    ['deflate, compress', true, 'identity'],
    [' gzip ; q=1.0 , br ; q=0.1 ', true, 'gzip'],
    ['gzip, gzip;q=0', true, 'gzip'],
  ] as const)('%j (brotli ready: %s) → %s', (header, brotli, expected) => {
    expect(chooseEncoding(header, brotli)).toBe(expected);
  });
});

const registry = createRegistry([
  { id: 'fr', lang: 'fr', dir: 'ltr', name: 'Français', intl: 'fr', intlByCountry: {}, script: 'Latn', forbidden: [] },
  { id: 'ar', lang: 'ar', dir: 'rtl', name: 'العربية', intl: 'ar', intlByCountry: {}, script: 'Arab', forbidden: [] },
]);

describe('cache key', () => {
  it('is the path and the query as the app parses it: names sorted, repeated values in order', () => {
    expect(cacheKey('/fr/guides/cnops', undefined, registry)).toBe('/fr/guides/cnops');
    expect(cacheKey('/fr/tools/x?b=2&a=1&a=0', undefined, registry)).toBe('/fr/tools/x?a=1&a=0&b=2');
    expect(cacheKey('/fr/tools/x?a=%41+b', undefined, registry)).toBe(cacheKey('/fr/tools/x?a=A%20b', undefined, registry));
    expect(cacheKey('/fr/tools/x?', undefined, registry)).toBe('/fr/tools/x');
  });

  it('two targets share a key only when the app reads the same query from both', () => {
    const pairs = [
      '?with=fr',
      '?with=fr&',
      '?with=fr&&',
      '?with=%66r',
      '?x=%ZZ',
      '?x=%25ZZ',
      '?a=1&a=2',
      '?a=2&a=1',
      '?a',
      '?a=',
      '?%E2%80%AE=1',
      '?k=%FF',
      '?k=%FE',
    ];
    for (const a of pairs) {
      for (const b of pairs) {
        const same = cacheKey(`/p${a}`, undefined, registry) === cacheKey(`/p${b}`, undefined, registry);
        expect(same, `${a} / ${b}`).toBe(JSON.stringify(parseQuery(a.slice(1))) === JSON.stringify(parseQuery(b.slice(1))));
      }
    }
  });

  it('has no key for a raw "#" or more parameters than any page takes: the app refuses those', () => {
    expect(cacheKey('/fr/tools/orientation?knows-site=no#&knows-site=yes', undefined, registry)).toBeUndefined();
    expect(cacheKey('/fr/#x', undefined, registry)).toBeUndefined();
    expect(targetProblem('/fr/#x')).toBe('fragment');
    const many = `/fr/tools/x?${Array.from({ length: MAX_PARAMS + 1 }, (_, i) => `p${i}=1`).join('&')}`;
    expect(targetProblem(many)).toBe('params');
    expect(cacheKey(many, undefined, registry)).toBeUndefined();
    expect(targetProblem(`/fr/tools/x?${Array.from({ length: MAX_PARAMS }, (_, i) => `p${i}=1`).join('&')}`)).toBeUndefined();
  });

  it('keys the language picker by the negotiated language', () => {
    expect(cacheKey('/', 'ar-MA,ar;q=0.9', registry)).toBe('/#ar');
    expect(cacheKey('/', 'de', registry)).toBe('/#fr');
    expect(canonicalQuery(parseQuery(''))).toBe('');
  });
});

describe('page store', () => {
  const page = (kb: number, seed: number) => makeEntry({ 'content-type': 'text/html' }, 200, Buffer.alloc(kb * 1024, String(seed % 10)));

  it('keeps pages within its count and its byte budget, least recently used dropped first', () => {
    const cache = createCache({ maxEntries: 100, maxBytes: 1024 * 1024 });
    for (let i = 0; i < 60; i++) cache.set(`/p${i}`, page(100, i));
    const { entries, bytes } = cache.size();
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(entries).toBeLessThan(11);
    expect(cache.get('/p59')).toBeDefined();
    expect(cache.get('/p0')).toBeUndefined();
    const counted = createCache({ maxEntries: 3, maxBytes: 1024 * 1024 * 1024 });
    for (let i = 0; i < 10; i++) counted.set(`/p${i}`, page(1, i));
    expect(counted.size().entries).toBe(3);
  });

  it('queues at most a few pages for brotli as they are rendered, skips those dropped meanwhile, and counts the brotli in the budget', async () => {
    const cache = createCache({ maxEntries: 1000, maxBytes: 64 * 1024 * 1024, maxQueued: 4 });
    for (let i = 0; i < 50; i++) cache.set(`/p${i}`, page(50, i));
    expect(cache.size().queued).toBeLessThanOrEqual(4);
    const before = cache.size().bytes;
    for (let i = 0; i < 200 && cache.size().queued > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    const compressed = Array.from({ length: 50 }, (_, i) => cache.get(`/p${i}`)!).filter((e) => e.br).length;
    expect(compressed).toBeGreaterThanOrEqual(1);
    expect(compressed).toBeLessThanOrEqual(5);
    expect(cache.size().bytes).toBeGreaterThan(before);
  });
});

describe('page store in front of a release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dalil-release-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const body = (text: string) => Buffer.from(`<!DOCTYPE html><title>${text}</title>`);
  writePageFiles(join(dir, 'v1'), 'fr/index.html', body('accueil'));
  writePageFiles(join(dir, 'v1'), 'fr/guides/a/index.html', body('guide a'));
  writeReleaseIndex(dir, {
    format: 1,
    version: 'v1',
    config: { baseUrl: 'https://dalil.test', feedback: true },
    built: '2026-11-30',
    edition: 'server',
    files: 'v1',
    headers: [{ 'content-type': 'text/html; charset=utf-8', 'content-language': 'fr', vary: 'Accept-Encoding' }],
    pages: { '/fr/': ['fr/index.html', 200, 0, 'tagfr', null], '/fr/guides/a': ['fr/guides/a/index.html', 200, 0, 'taga', '2027-01-10'] },
  });
  const release = openRelease(dir)!;

  it('reads a page from disk the first time, each encoding when first sent (and counted then), then answers it from memory', () => {
    let day = '2026-12-01';
    const cache = createCache({}, release, () => day);
    const first = cache.get('/fr/')!;
    const send = (acceptEncoding: string) => {
      const sent: { headers?: string[]; body?: Buffer } = {};
      const res = { writeHead: (_: number, h: string[]) => (sent.headers = h), end: (b?: Buffer) => (sent.body = b) };
      answer(res as unknown as ServerResponse, { head: false, acceptEncoding, ifNoneMatch: undefined, acceptLanguage: undefined }, first);
      return sent.body!;
    };
    expect([first.identity, first.gzip, first.br]).toEqual([undefined, undefined, undefined]);
    const before = cache.size().bytes;
    expect(brotliDecompressSync(send('gzip, br')).toString()).toBe(body('accueil').toString());
    expect([first.identity, first.gzip]).toEqual([undefined, undefined]);
    expect(cache.size().bytes).toBe(before + first.br!.length);
    expect(gunzipSync(send('gzip')).toString()).toBe(body('accueil').toString());
    expect(send('identity').toString()).toBe(body('accueil').toString());
    expect(cache.size().bytes).toBe(before + first.br!.length + first.gzip!.length + first.identity!.length);
    expect([first.status, first.tag, first.headers['content-language']]).toEqual([200, 'tagfr', 'fr']);
    expect(cache.get('/fr/')).toBe(first);
    expect(cache.size()).toMatchObject({ entries: 1, release: 2 });
    expect(cache.get('/fr/guides/b')).toBeUndefined();
    // From its review date on, a guide's page is no longer the release's: the app renders it again (with its notice).
    expect(cache.get('/fr/guides/a')).toBeDefined();
    cache.clear();
    day = '2027-01-10';
    expect(cache.get('/fr/guides/a')).toBeUndefined();
    expect(cache.get('/fr/')).toBeDefined();
  });

  it('a page of the release is bounded like any other: memory does not grow with the release', () => {
    const cache = createCache({ maxEntries: 1 }, release, () => '2026-12-01');
    cache.get('/fr/');
    cache.get('/fr/guides/a');
    expect(cache.size().entries).toBe(1);
  });

  it('says why a release cannot serve a server: none, other content or code, another address', () => {
    const config = { baseUrl: 'https://dalil.test', feedback: true };
    expect(releaseProblem(release, 'v1', config)).toBeUndefined();
    expect(releaseProblem(undefined, 'v1', config)?.kind).toBe('missing');
    expect(releaseProblem(release, 'v2', config)?.kind).toBe('stale');
    expect(releaseProblem(release, 'v2', config)?.message).toContain('release v1, this server v2');
    expect(releaseProblem(release, 'v1', { ...config, baseUrl: 'https://other.example' })?.kind).toBe('other');
    expect(releaseProblem(release, 'v1', { ...config, feedback: false })?.kind).toBe('other');
    expect(openRelease(join(dir, 'v1'))).toBeUndefined();
  });

  it.each([
    ['/fr/', undefined, 'fr/index.html'],
    ['/fr/guides/a', undefined, 'fr/guides/a/index.html'],
    ['/', { id: 'fr', first: true }, 'index.html'],
    ['/', { id: 'ar', first: false }, 'index.ar.html'],
    ['/ar/manifest.webmanifest', undefined, 'ar/manifest.webmanifest'],
    ['/assets/css/site.0123456789.css', undefined, 'assets/css/site.0123456789.css'],
    ['/fr/tools/orientation?knows-site=yes&has-account=no', undefined, 'fr/tools/orientation/knows-site=yes&has-account=no.html'],
    ['/ar/guides/a?with=fr', undefined, 'ar/guides/a/with=fr.html'],
  ])('%s is written as %s', (url, picker, file) => {
    expect(pageFile(url, picker)).toBe(file);
  });
});

describe('page store, cleared', () => {
  it('forgets every page held in memory', () => {
    const cache = createCache();
    cache.set('/fr/', makeEntry({}, 200, 'a'));
    cache.set('/x', makeEntry({}, 200, 'b'));
    cache.clear();
    expect([cache.get('/fr/'), cache.get('/x')]).toEqual([undefined, undefined]);
    expect(cache.size()).toEqual({ entries: 0, bytes: 0, queued: 0, release: 0 });
  });
});
