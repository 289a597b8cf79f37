import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { releaseVersion } from '../../src/routes/offline.js';
import { ROOT, realSite } from '../helpers.js';
import { launchChromium } from './chromium.js';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let server: Server;
let port: number;

/** A release of the app on the loopback port the browser knows; a new salt is a new release. */
async function release(salt: string) {
  if (server) await new Promise((r) => server.close(r));
  server = createServer();
  await new Promise<void>((done) => server.listen(port ?? 0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  const config = loadConfig({ NODE_ENV: 'test', BASE_URL: `http://127.0.0.1:${port}` });
  server.on('request', createHandler({ config, site: await realSite(), logger: pino({ level: 'silent' }), releaseSalt: salt }).handle);
}
const origin = () => `http://127.0.0.1:${port}`;

/** Waits until the store of a release holds a page. */
const stored = (version: string, path: string) =>
  page.waitForFunction(
    async ([name, p]) => (await caches.has(name!)) && !!(await (await caches.open(name!)).match(p!, { ignoreVary: true })),
    [`dalil-${version}`, path],
    { timeout: 20_000, polling: 100 },
  );

beforeAll(async () => {
  browser = await launchChromium();
  await release('first');
  context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('offline reading in real Chromium', () => {
  it('a first visit to /prs/ keeps every Dari guide and its handout; offline they all open; an unvisited page gets the Dari offline page', async () => {
    const { catalogue } = await realSite();
    const dari = catalogue.guides.filter((g) => g.languages.some((l) => l.id === 'prs'));
    expect(dari.map((g) => g.slug)).toEqual(['franceconnect', 'aidants-connect']);
    await page.goto(`${origin()}/prs/`);
    const version = releaseVersion(ROOT, 'first');
    for (const g of dari) await stored(version, `/prs/guides/${g.slug}/print`);
    // The worker controls the pages of the site from now on.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });

    await context.setOffline(true);
    for (const g of dari) {
      for (const path of [`/prs/guides/${g.slug}`, `/prs/guides/${g.slug}/print`]) {
        await page.goto(`${origin()}${path}`);
        expect(await page.getAttribute('html', 'lang'), path).toBe('fa-AF');
        expect((await page.textContent('h1'))!.length, path).toBeGreaterThan(5);
        expect(await page.locator('#step-1').textContent(), path).toBeTruthy();
      }
    }
    await page.goto(`${origin()}/prs/guides/franceconnect`);
    await expect.poll(() => page.locator('.offline-mark').isVisible(), { timeout: 10_000 }).toBe(true);

    await page.goto(`${origin()}/prs/tools/identity-provider?answered=1&has=smartphone`);
    expect(await page.locator('[data-offline-page]').count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('fa-AF');
    const list = await page.locator('.offline-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(list).toEqual(expect.arrayContaining(['/prs/', '/prs/guides/franceconnect', '/prs/guides/aidants-connect/print']));
    await context.setOffline(false);
  });

  it('back online, a new release replaces the store: nothing of the old one is left', async () => {
    const before = releaseVersion(ROOT, 'first');
    await release('second');
    const after = releaseVersion(ROOT, 'second');
    expect(after).not.toBe(before);
    await page.goto(`${origin()}/prs/`);
    await page.reload();
    await stored(after, '/prs/guides/aidants-connect/print');
    await expect.poll(() => page.evaluate(() => caches.keys()), { timeout: 20_000 }).toEqual([`dalil-${after}`]);
  });

  it('the worker is served with no-cache, and the manifest in the reader’s language and direction', async () => {
    const sw = await fetch(`${origin()}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(await sw.text()).toMatch(/^const VERSION = "[0-9a-f]{12}";/);
    const manifest = await (await fetch(`${origin()}/ar/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ lang: 'ar', dir: 'rtl', start_url: '/ar/', display: 'standalone' });
  });
});
