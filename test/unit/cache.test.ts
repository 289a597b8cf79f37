import { describe, expect, it } from 'vitest';
import { chooseEncoding } from '../../src/cache/encoding.js';
import { makeEntry } from '../../src/cache/entry.js';
import { cacheKey, canonicalQuery, MAX_PARAMS, parseQuery, targetProblem } from '../../src/cache/key.js';
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

  it('keeps pages met after start within its count and its byte budget, least recently used dropped first', () => {
    const cache = createCache({ maxEntries: 100, maxBytes: 1024 * 1024 });
    for (let i = 0; i < 60; i++) cache.set(`/p${i}`, page(100, i));
    const { dynamic, bytes } = cache.size();
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(dynamic).toBeLessThan(11);
    expect(cache.get('/p59')).toBeDefined();
    expect(cache.get('/p0')).toBeUndefined();
    const counted = createCache({ maxEntries: 3, maxBytes: 1024 * 1024 * 1024 });
    for (let i = 0; i < 10; i++) counted.set(`/p${i}`, page(1, i));
    expect(counted.size().dynamic).toBe(3);
  });

  it('keeps the pages known at start whatever their size', () => {
    const cache = createCache({ maxEntries: 1, maxBytes: 1024 });
    cache.known.add('/fr/');
    cache.set('/fr/', page(100, 1));
    cache.set('/x', page(1, 2));
    expect(cache.get('/fr/')).toBeDefined();
    expect(cache.size().known).toBe(1);
  });

  it('queues at most a few pages for brotli, skips those dropped meanwhile, and counts the brotli in the budget', async () => {
    const cache = createCache({ maxEntries: 1000, maxBytes: 64 * 1024 * 1024, maxQueued: 4 });
    for (let i = 0; i < 50; i++) cache.set(`/p${i}`, page(50, i));
    // Asked a second time: each wants its brotli, but the queue takes four while one is compressed.
    for (let i = 0; i < 50; i++) cache.get(`/p${i}`);
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

describe('page store, cleared', () => {
  it('forgets every page, known ones included, and keeps knowing which ones are known', () => {
    const cache = createCache();
    cache.known.add('/fr/');
    cache.set('/fr/', makeEntry({}, 200, 'a'));
    cache.set('/x', makeEntry({}, 200, 'b'));
    cache.clear();
    expect([cache.get('/fr/'), cache.get('/x')]).toEqual([undefined, undefined]);
    expect(cache.size()).toEqual({ known: 0, dynamic: 0, bytes: 0, queued: 0 });
    expect(cache.known.has('/fr/')).toBe(true);
  });
});
