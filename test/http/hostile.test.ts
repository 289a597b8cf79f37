import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/catalogue.js';
import { ROOT, realSite } from '../helpers.js';

/** The app serving a guide whose every text, fact and screen label carries markup meant to run. */
async function hostileApp() {
  const site = await realSite();
  const dir = join(ROOT, 'test/fixtures/hostile');
  const catalogue = loadContent(dir, site.registry, dir);
  return createApp({ config: loadConfig({ NODE_ENV: 'test' }), site: { ...site, catalogue }, logger: pino({ level: 'silent' }) });
}

describe('hostile content renders inert', () => {
  it.each([
    '/en/guides/hostile',
    '/ar/guides/hostile',
    '/en/guides/hostile/print',
    '/ar/guides/hostile?with=en',
    '/en/guides/hostile/present/1',
    '/en/guides/hostile/present/2',
  ])('%s', async (path) => {
    const res = await request(await hostileApp()).get(path);
    expect(res.status).toBe(200);
    const html = res.text;
    // No element the content tried to create, no event attribute, no script URL.
    expect(html).not.toMatch(/<(script|style|iframe|img|svg|div|b)\b(?! class="(?:qr__code)")[^>]*\son[a-z]+\s*=/i);
    // Only the site's own scripts: the offline reader, read-aloud and "send to a phone", and the help-desk keys on presentation pages.
    expect(
      (html.match(/<script\b[^>]*>/g) ?? []).filter(
        (tag) => !/^<script src="\/assets\/js\/(offline|present|listen|share)\.[0-9a-f]{10}\.js" defer>$/.test(tag),
      ),
    ).toEqual([]);
    expect(html).not.toMatch(/<(iframe|img|style)\b/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/<[a-z]+[^>]*\son(error|load|click|mouseover)=/i);
    // The attempts are shown as text.
    if (path.endsWith('/present/2')) expect(html).toContain('&lt;a href=&quot;javascript:alert(&#39;step&#39;)&quot;&gt;');
    else expect(html).toContain('&lt;script&gt;alert(&#39;fact&#39;)&lt;/script&gt;');
    if (path.startsWith('/en/guides/hostile') && !path.includes('/present/')) expect(html).toContain('&lt;img src=x onerror=alert(&#39;summary&#39;)&gt;');
  });
});
