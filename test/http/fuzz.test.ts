import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, type RunningServer, startServer } from '../server.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ NODE_ENV: 'production', LOG_LEVEL: 'warn' });
}, 60_000);
afterAll(() => server?.kill());

/** One request as raw bytes over a fresh connection: the answer's status, headers and body. */
async function raw(request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const bytes = await rawExchange(server.port, request);
  const split = bytes.indexOf('\r\n\r\n');
  const head = bytes.subarray(0, split < 0 ? bytes.length : split).toString('latin1');
  let body = split < 0 ? Buffer.alloc(0) : bytes.subarray(split + 4);
  const encoding = /content-encoding: (\w+)/i.exec(head)?.[1];
  if (body.length === 0) {
    // HEAD, 304: headers only.
  } else if (encoding === 'gzip') body = gunzipSync(body);
  else if (encoding === 'br') body = brotliDecompressSync(body);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: body.toString('utf8') };
}

/** A small seeded generator, so that a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('fuzz: 5,000 odd requests against the real server', () => {
  it('never answers 5xx, answers each with the right status and a page in a language (or plain text), and stays healthy', async () => {
    const random = rng(20261123);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const pages = [
      '/',
      '/fr/',
      '/ar/guides/franceconnect',
      '/prs/guides/aidants-connect/print',
      '/en/guides/cnops/present/3',
      '/fr/tools/orientation',
      '/ar/tools/identity-provider',
      '/en/tools/no-social-security-number',
      '/assets/css/site.css',
      '/healthz',
    ];
    const junk = [
      '%',
      '%ZZ',
      '%E0%A4%A',
      '%00',
      '/..',
      '/../package.json',
      '//',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/\u00e9',
      '/nope',
      '/present/0',
      '/present/99',
      '?with=zz',
      '?with=fr&with=ar',
      '?has=x',
      '?profile=a&profile=b',
      '?knows-site=maybe',
      `?q=${'a'.repeat(1500)}`,
      '?%ZZ=1',
      '?a[b]=c',
      '#frag',
      '?knows-site=no#&knows-site=yes',
      `?${'x=1&'.repeat(70)}`,
      '',
    ];
    const methods = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'BREW'];
    const build = (): { request: string; method: string; expect: number[] } => {
      const method = pick(methods);
      let path = pick(pages) + pick(junk);
      if (random() < 0.08) path = `/${'x'.repeat(2100 + Math.floor(random() * 3000))}`;
      const headers = ['Host: localhost', 'Connection: close'];
      const r = random();
      if (r < 0.15) headers.push(`Accept-Language: ${pick(['*', 'xx', 'ar;q=abc', ',,,;;', 'fa-AF,fa;q=0.9'])}${'-x'.repeat(Math.floor(random() * 3000))}`);
      else if (r < 0.3) headers.push(`If-None-Match: ${pick(['*', '"x"', 'W/', ',,', '"a", "b"'])}${'"y",'.repeat(Math.floor(random() * 2000))}`);
      else if (r < 0.36) headers.push(`X-Huge: ${'h'.repeat(20000)}`);
      else if (r < 0.4) headers.push('Accept-Encoding: br, gzip, identity;q=0, *');
      const giant = headers.some((h) => h.length > 16000);
      // Node itself refuses what is not HTTP: raw non-ASCII in the request line, unknown methods.
      const unparsable = /[^\x21-\x7e]/.test(path) || method === 'BREW';
      const expected = giant ? [431, 400] : unparsable ? [400] : ['GET', 'HEAD'].includes(method) ? [200, 301, 304, 400, 404, 414] : [405];
      return { request: `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, method, expect: expected };
    };
    const cases = Array.from({ length: 5000 }, build);
    // A few raw oddities the request line itself carries.
    cases.push(
      { request: 'GET /fr/\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', method: 'GET', expect: [400] },
      { request: 'GARBAGE\r\n\r\n', method: 'GET', expect: [400] },
      { request: 'GET / HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n', method: 'GET', expect: [400, 505, 200] },
    );
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const res = await raw(c.request);
        const head = c.request.slice(0, 80).replace(/\r\n.*/s, '');
        if (res.status >= 500 && res.status !== 505) failures.push(`${res.status} ${head}`);
        else if (!c.expect.includes(res.status)) failures.push(`${res.status} (expected ${c.expect.join('/')}) ${head}`);
        else if (res.status >= 400 && c.method === 'GET' && res.status !== 405) {
          // An error page: localized (its own language) or, when Node could not parse the request, in every language.
          const lang = /content-language: ([\w-]+)/i.exec(res.head)?.[1];
          const ok = lang
            ? res.body.includes(`<html lang="${lang}"`)
            : ['lang="fr"', 'lang="ar"', 'lang="fa-AF"', 'lang="en"'].every((l) => res.body.includes(l));
          if (!ok) failures.push(`${res.status} not a localized page: ${head}`);
          if (!/content-security-policy: /i.test(res.head)) failures.push(`${res.status} without CSP: ${head}`);
        } else if (res.status === 405 && !/allow: GET, HEAD/i.test(res.head)) failures.push(`405 without Allow: ${head}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`fuzz: ${cases.length} requests, ${failures.length} failure(s)`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect((await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(200);
    expect((await raw('GET /ar/guides/franceconnect HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(200);
  }, 90_000);
});
