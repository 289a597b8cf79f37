import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createHandler } from '../../src/handler.js';
import { releaseVersion } from '../../src/release.js';
import { loadSite } from '../../src/site.js';
import { allChecks } from '../../src/tools/checklist.js';
import { ROOT, realSite } from '../helpers.js';
import { axeViolations, launchChromium } from './chromium.js';

let browser: Browser;
let context: BrowserContext;
let page: Page;
let server: Server;
let port: number;

/** A release of the app on the loopback port the browser knows; a new salt is a new release (of other content, when given). */
async function release(salt: string, content?: string) {
  if (server) await new Promise((r) => server.close(r));
  server = createServer();
  await new Promise<void>((done) => server.listen(port ?? 0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  const config = loadConfig({ NODE_ENV: 'test', BASE_URL: `http://127.0.0.1:${port}` });
  const site = content ? await loadSite(ROOT, content) : await realSite();
  server.on('request', createHandler({ config, site, logger: pino({ level: 'silent' }), releaseSalt: salt }).handle);
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
  it('a first visit to /prs/ keeps every Dari guide, its handout and its tools; offline they all open, the checker answers; an unvisited page gets the Dari offline page', async () => {
    const { catalogue } = await realSite();
    const dari = catalogue.guides.filter((g) => g.languages.some((l) => l.id === 'prs'));
    expect(dari.map((g) => g.slug)).toEqual(['franceconnect', 'aidants-connect']);
    await page.goto(`${origin()}/prs/`);
    const version = releaseVersion(ROOT, 'first');
    for (const g of dari) await stored(version, `/prs/guides/${g.slug}/print`);
    // The worker controls the pages of the site from now on: a page loaded once it is active (on a
    // busy machine its activation may finish after the first reload, so reload until it does).
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.evaluate(() => navigator.serviceWorker.controller !== null);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);

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

    // The guides' tools open too: each tool's page, and the checker answers on its own page.
    const tools = catalogue.tools.filter((t) => dari.includes(t.guide));
    expect(tools.length).toBeGreaterThanOrEqual(3);
    for (const t of tools) {
      await page.goto(`${origin()}/prs/tools/${t.id}`);
      expect(await page.locator('[data-offline-page]').count(), t.id).toBe(0);
      expect(await page.locator('form.tool-form').count(), t.id).toBe(1);
    }
    await page.goto(`${origin()}/prs/tools/identity-provider?has=french-id-document&has=smartphone&answered=1#result`);
    expect(await page.locator('[data-offline-page]').count()).toBe(0);
    expect(
      await page.locator('#result [data-provider-closest="laposte"] [data-check]').evaluateAll((li) => li.map((l) => l.getAttribute('data-check'))),
    ).toEqual(['postal-identity-check']);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result');
    expect(await page.locator('[data-help-now]').count()).toBe(1);
    expect(await page.locator('#has-smartphone').isChecked()).toBe(true);

    // A page never kept: the Dari offline page, with what this device keeps.
    await page.goto(`${origin()}/prs/guides/franceconnect/present/2`);
    expect(await page.locator('[data-offline-page]').count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('fa-AF');
    const list = await page.locator('.offline-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(list).toEqual(expect.arrayContaining(['/prs/', '/prs/guides/franceconnect', '/prs/guides/aidants-connect/print', '/prs/tools/identity-provider']));
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

  it('a page kept on its own comes again in the next version; a kept guide older than the one published says so once online, and the new one is a tap away', async () => {
    const second = releaseVersion(ROOT, 'second');
    // A bilingual page: kept as it was read, not one of the language's pages.
    await page.goto(`${origin()}/prs/guides/franceconnect?with=fr`);
    await stored(second, '/prs/guides/franceconnect?with=fr');
    await page.goto(`${origin()}/prs/guides/franceconnect`);
    const title = await page.textContent('h1');
    await page.waitForTimeout(500);
    expect(await page.locator('[data-newer] button').count(), 'a page as published says nothing').toBe(0);

    // While this reader is offline, a change to the guide is published.
    const dir = mkdtempSync(join(tmpdir(), 'dalil-offline-'));
    try {
      cpSync(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
      const file = join(dir, 'content/guides/franceconnect/prs.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: ورود با FranceConnect'));
      await context.setOffline(true);
      await release('third', join(dir, 'content'));
      await context.setOffline(false);
      const notice = page.locator('[data-newer]');
      await expect.poll(() => notice.locator('button').isVisible(), { timeout: 20_000 }).toBe(true);
      const strings = JSON.parse(readFileSync(join(ROOT, 'locales/prs/common.json'), 'utf8')) as { offline: Record<string, string> };
      expect(await notice.locator('p').textContent()).toBe(strings.offline.newer);
      expect(await notice.locator('button').textContent()).toBe(strings.offline.load);
      expect(await axeViolations(page), 'the page with its notice').toEqual([]);
      await notice.locator('button').click();
      await page.waitForLoadState();
      await expect.poll(() => page.textContent('h1')).toBe('ورود با FranceConnect');
      expect(title).not.toBe('ورود با FranceConnect');
      await page.waitForTimeout(500);
      expect(await page.locator('[data-newer] button').count(), 'the new version says nothing').toBe(0);
      // The new release's store holds the page kept on its own, in its new version; nothing old is left.
      const third = releaseVersion(ROOT, 'third', undefined, join(dir, 'content'));
      await stored(third, '/prs/guides/franceconnect?with=fr');
      await expect.poll(() => page.evaluate(() => caches.keys()), { timeout: 20_000 }).toEqual([`dalil-${third}`]);
      const kept = await page.evaluate(async (name) => (await (await caches.open(name)).match('/prs/guides/franceconnect?with=fr'))!.text(), `dalil-${third}`);
      expect(kept).toContain('ورود با FranceConnect');
    } finally {
      await release('second');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['/fr/guides/cnops', '/ar/'])('a first visit to %s shifts nothing while the page learns it is kept on the device', async (path) => {
    const fresh = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const p = await fresh.newPage();
    await p.addInitScript(() => {
      const w = window as unknown as { shifted: number };
      w.shifted = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) if (!e.hadRecentInput) w.shifted += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await p.goto(`${origin()}${path}`);
    // The guide (or the home's cards) get their "saved on this device" mark once the worker has kept them.
    await expect.poll(() => p.locator('.offline-mark:visible').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await p.waitForTimeout(300);
    expect(await p.evaluate(() => (window as unknown as { shifted: number }).shifted)).toBe(0);
    await fresh.close();
  });

  it('the worker is served with no-cache, and the manifest in the reader’s language and direction', async () => {
    const sw = await fetch(`${origin()}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(await sw.text()).toMatch(/^const VERSION = "[0-9a-f]{12}";/);
    const manifest = (await (await fetch(`${origin()}/ar/manifest.webmanifest`)).json()) as unknown;
    expect(manifest).toMatchObject({ lang: 'ar', dir: 'rtl', start_url: '/ar/', display: 'standalone' });
  });
});

describe('the checker without the network (public/js/checker.js)', () => {
  /**
   * The answer the page computes from its own data is the server's: every combination of ticks in
   * Dari (and the empty answer, each single tick and all ticks in every other language), compared
   * as the browser parses both.
   */
  it('gives the server’s answer for every combination of ticks', { timeout: 90_000 }, async () => {
    const { catalogue } = await realSite();
    const tool = catalogue.tool('identity-provider')!;
    if (tool.block.type !== 'checklists') throw new Error('identity-provider is a checklist');
    const checks = allChecks(tool.block.items);
    expect(checks.length).toBeGreaterThanOrEqual(8);
    const script = readFileSync(join(ROOT, 'public/js/checker.js'), 'utf8');
    const every = Array.from({ length: 2 ** checks.length }, (_, n) => checks.filter((_, i) => n & (1 << i)));
    const some = [[], checks, ...checks.map((c) => [c])];
    // The script is run again on the same page (no reload per combination): a context that lets the test evaluate it.
    const scripted = await browser.newContext({ bypassCSP: true });
    const p = await scripted.newPage();
    for (const l of tool.guide.languages) {
      const combos = l.id === 'prs' ? every : some;
      await p.goto(`${origin()}/${l.id}/tools/identity-provider`);
      expect(await p.locator('template[data-offline-answer]').count()).toBe(1);
      for (let i = 0; i < combos.length; i += 64) {
        const batch = await Promise.all(
          combos.slice(i, i + 64).map(async (has) => {
            const search = `?${[...has.map((h) => `has=${h}`), 'answered=1'].join('&')}`;
            const html = await (await fetch(`${origin()}/${l.id}/tools/identity-provider${search}`)).text();
            return { search, server: /<section class="result" id="result"[\s\S]*?<\/section>/.exec(html)![0], help: html.includes('data-help-now') };
          }),
        );
        const differ = await p.evaluate(
          ({ batch, script }) => {
            const main = document.querySelector('main')!;
            // The page as it came (kept from the first batch on).
            const kept = window as unknown as { start?: string };
            const start = (kept.start ??= main.innerHTML);
            const norm = (html: string) => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ');
            return batch.flatMap(({ search, server, help }) => {
              main.innerHTML = start;
              history.replaceState(null, '', `${location.pathname}${search}#result`);
              // The page's own script, run again on the page as it came.
              (0, eval)(script);
              const mine = document.getElementById('result')?.outerHTML ?? '';
              const theirs = new DOMParser().parseFromString(server, 'text/html').getElementById('result')!.outerHTML;
              const ok = norm(mine) === norm(theirs) && !!document.querySelector('[data-help-now]') === help;
              return ok ? [] : [search];
            });
          },
          { batch, script },
        );
        expect(differ, l.id).toEqual([]);
      }
    }
    await scripted.close();
  });
});

describe('the service worker, on a bare test site', () => {
  let site: Server;
  let base: string;
  let visits = 0;
  beforeAll(async () => {
    const worker = `const VERSION = "test";\n${readFileSync(join(ROOT, 'public/js/sw.js'), 'utf8')}`;
    site = createServer((req, res) => {
      if (req.url === '/sw.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!DOCTYPE html><title>t</title><script>navigator.serviceWorker.register("/sw.js")</script>');
      // A page a store must refuse: Cache.put rejects any answer that varies on "*".
      if (req.url === '/x')
        return res.writeHead(200, { 'content-type': 'text/html', vary: '*' }).end(`<!DOCTYPE html><title>x</title><p id="v">fresh ${++visits}</p>`);
      if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => site?.close(r)));

  async function controlled() {
    const p = await context.newPage();
    await p.goto(`${base}/`);
    await p.waitForFunction(() => navigator.serviceWorker.ready.then(() => true));
    await p.reload();
    await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
    return p;
  }

  it('stores only paths of its own origin when asked to keep pages', async () => {
    const p = await controlled();
    const foreign: string[] = [];
    context.on('request', (r) => {
      if (!r.url().startsWith(base)) foreign.push(r.url());
    });
    await p.evaluate(() =>
      navigator.serviceWorker.controller!.postMessage({ type: 'store', urls: ['//evil.example/x', 'https://evil.example/y', '/\\evil.example/z', '/ok'] }),
    );
    // The store is read once it holds /ok (read again until then: the worker writes it in its own time).
    let keys: string[] = [];
    await expect
      .poll(async () => (keys = await p.evaluate(async () => (await (await caches.open('dalil-test')).keys()).map((k) => k.url))), {
        timeout: 10_000,
        interval: 100,
      })
      .toContain(`${base}/ok`);
    expect(keys.filter((k) => !k.startsWith(`${base}/`))).toEqual([]);
    expect(foreign).toEqual([]);
    await p.close();
  });

  it('serves what the network answered even when the store refuses it, never an older stored copy', async () => {
    const p = await controlled();
    await p.evaluate(async () =>
      (await caches.open('dalil-test')).put(
        '/x',
        new Response('<!DOCTYPE html><title>x</title><p id="v">stale</p>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    await p.goto(`${base}/x`);
    expect(await p.textContent('#v')).toMatch(/^fresh \d+$/);
    await p.close();
  });
});
