import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEditor } from '../../src/store/editors.js';
import { addReport } from '../../src/store/feedback.js';
import { ROOT, testStore } from '../helpers.js';
import { launchChromium, serveApp } from './chromium.js';

let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
const PASSWORD = 'a long enough pass phrase';
const COMMENT = 'Le bouton « Valider » a disparu';

beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
  expect(await testStore().available()).toBe(true);
  await addEditor(testStore(), 'offline-editor', PASSWORD);
  await addReport(testStore(), { guide: 'cnops', step: 4, tool: null, language: 'fr', kind: 'step-wrong', comment: COMMENT, release: 'r' });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Every entry of every store of the page's origin: the store, the address, and the Cache-Control it was stored with. */
const entries = (page: Page) =>
  page.evaluate(async () => {
    const all: Array<{ store: string; path: string; cacheControl: string }> = [];
    for (const name of await caches.keys()) {
      const store = await caches.open(name);
      for (const request of await store.keys()) {
        const response = await store.match(request);
        const url = new URL(request.url);
        all.push({ store: name, path: url.pathname + url.search, cacheControl: response?.headers.get('cache-control') ?? '' });
      }
    }
    return all;
  });
const paths = async (page: Page) => (await entries(page)).map((e) => e.path);
/** Entries no store may hold: the editors' area, and answers their server marks no-store or private. */
const forbidden = async (page: Page) =>
  (await entries(page)).filter((e) => /^\/editor(\/|$)/i.test(e.path) || /(^|,)\s*(no-store|private)\b/i.test(e.cacheControl));

/** Reloads until the worker controls the page (on a busy machine its activation may finish after the first reload). */
async function controlled(page: Page) {
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  for (const start = Date.now(); Date.now() - start < 30_000; await page.waitForTimeout(500)) {
    await page.reload();
    if (await page.evaluate(() => navigator.serviceWorker.controller !== null)) return;
  }
  throw new Error(`no service worker controls ${page.url()}`);
}

/** Waits until a store of the page's origin holds that path (the worker writes in its own time). */
const held = (page: Page, path: string) => expect.poll(() => paths(page), { timeout: 20_000, interval: 100 }).toContain(path);

describe('the editors’ area and the offline worker, in real Chromium', () => {
  it('after a reader’s visit, sign-in, the dashboard, the CSV and sign-out: no store holds the area, and offline /editor/ never shows the dashboard', async () => {
    const context = await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 }, serviceWorkers: 'allow' });
    const page = await context.newPage();
    // A reader first: the worker installs and keeps French.
    await page.goto(`${app.origin}/fr/`);
    await held(page, '/fr/offline');
    await held(page, '/fr/guides/cnops');
    await controlled(page);

    // Then an editor, on the same browser.
    await page.goto(`${app.origin}/editor/`);
    await page.waitForURL('**/editor/sign-in');
    await page.fill('#name', 'offline-editor');
    await page.fill('#password', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL('**/editor/');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.textContent('.editor-signout span')).toBe('Signed in as offline-editor (editor)');
    expect(await page.content()).toContain(COMMENT);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/editor/reports.csv"]')]);
    expect(download.suggestedFilename()).toBe('dalil-reports.csv');
    const [signOut] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/editor/sign-out'),
      page.click('.editor-signout button[type="submit"]'),
    ]);
    expect(signOut.status()).toBe(303);
    expect.soft((await signOut.allHeaders())['clear-site-data']).toBe('"cache"');
    await page.waitForURL('**/editor/sign-in');

    // A reader's page read after all this is kept: whatever the worker was to keep of the editor's visit is written by then.
    expect((await page.goto(`${app.origin}/fr/tools/identity-provider`))?.ok()).toBe(true);
    await held(page, '/fr/tools/identity-provider');
    expect(await forbidden(page)).toEqual([]);
    // Signing out clears the HTTP cache only: the reader's offline guides stay on the device.
    expect(await paths(page)).toEqual(expect.arrayContaining(['/fr/', '/fr/offline', '/fr/guides/cnops', '/fr/guides/cnops/print']));

    await context.setOffline(true);
    await page.goto(`${app.origin}/editor/`).catch(() => undefined);
    expect(await page.locator('.editor-signout').count()).toBe(0);
    expect(await page.content()).not.toContain('Signed in as');
    expect(await page.content()).not.toContain(COMMENT);
    // A kept guide still opens; from it, neither the dashboard nor the CSV comes out of the store.
    await page.goto(`${app.origin}/fr/guides/cnops`);
    expect(await page.locator('#step-1').count()).toBe(1);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const offline = await page.evaluate(() =>
      Promise.all(
        ['/editor/', '/editor/reports.csv', '/editor/sign-in'].map((u) =>
          fetch(u, { cache: 'no-store' }).then(
            (r) => `${u} ${r.status}`,
            () => `${u} failed`,
          ),
        ),
      ),
    );
    expect(offline).toEqual(['/editor/ failed', '/editor/reports.csv failed', '/editor/sign-in failed']);
    await context.close();
  }, 120_000);

  it('signing out answers Clear-Site-Data: "cache"', async () => {
    const origin = { origin: app.origin };
    const form = await (await fetch(`${app.origin}/editor/sign-in`)).text();
    const body = new URLSearchParams({ name: 'offline-editor', password: PASSWORD, csrf: /name="csrf" value="([^"]+)"/.exec(form)![1]! });
    const signIn = await fetch(`${app.origin}/editor/sign-in`, { method: 'POST', headers: origin, body, redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const board = await (await fetch(`${app.origin}/editor/`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(board)![1]!;
    const res = await fetch(`${app.origin}/editor/sign-out`, {
      method: 'POST',
      headers: { ...origin, cookie },
      body: new URLSearchParams({ csrf }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/editor/sign-in');
    expect(res.headers.get('clear-site-data')).toBe('"cache"');
    expect(res.headers.get('set-cookie')).toMatch(/^dalil_editor=; Path=\/editor;.*Max-Age=0/);
  });
});

describe('the offline worker, on a bare test site', () => {
  let site: Server;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let version = 'one';
  const worker = () => `const VERSION = ${JSON.stringify(version)};\n${readFileSync(join(ROOT, 'public/js/sw.js'), 'utf8')}`;

  beforeAll(async () => {
    site = createServer((req, res) => {
      const html = (cacheControl: string, body = '') =>
        res
          .writeHead(200, { 'content-type': 'text/html', 'cache-control': cacheControl })
          .end(`<!DOCTYPE html><title>${req.url}</title><p id="v">${req.url}</p>${body}`);
      switch (req.url) {
        case '/sw.js':
          return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' }).end(worker());
        case '/':
          return html('public, max-age=60', '<script>navigator.serviceWorker.register("/sw.js")</script>');
        case '/fr/offline.json':
          return res
            .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' })
            .end(JSON.stringify({ version, pages: ['/fr/a', '/fr/private', '/fr/no-store', '/editor/', '/Editor/reports.csv'] }));
        case '/fr/private':
          return html('private, max-age=60');
        case '/fr/no-store':
        case '/fr/read-no-store':
        case '/fr/old-no-store':
          return html('no-cache, no-store, must-revalidate');
        case '/fr/old-private':
          return html('private, max-age=60');
        // The editors' area is never kept, even where its answers would let it be.
        case '/editor/':
        case '/editor/reports.csv':
        case '/Editor/reports.csv':
          return html('public, max-age=60', '<p>Signed in as someone</p>');
        default:
          return req.url!.startsWith('/fr/') ? html('public, max-age=300') : res.writeHead(404).end();
      }
    });
    await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    context = await browser.newContext({ serviceWorkers: 'allow' });
    page = await context.newPage();
    await page.goto(`${base}/`);
    await controlled(page);
  });
  afterAll(async () => {
    await context?.close();
    await new Promise((r) => site?.close(r));
  });

  it('keeps neither the editors’ area nor an answer marked no-store or private: not from the language’s list, not as read, not when asked', async () => {
    await page.evaluate(() => navigator.serviceWorker.controller!.postMessage({ type: 'store-locale', locale: 'fr' }));
    await held(page, '/__offline/locales');
    for (const path of ['/fr/read-no-store', '/fr/private', '/editor/', '/fr/read']) await page.goto(`${base}${path}`);
    await held(page, '/fr/read');
    await page.evaluate(() =>
      navigator.serviceWorker.controller!.postMessage({ type: 'store', urls: ['/editor/reports.csv', '/fr/no-store', '/fr/private', '/fr/asked'] }),
    );
    await held(page, '/fr/asked');
    expect(await forbidden(page)).toEqual([]);
    expect((await paths(page)).sort()).toEqual(['/', '/__offline/locales', '/fr/a', '/fr/asked', '/fr/read']);

    // Offline, the editors' area is the network's error, never a stored page (past the browser's
    // own HTTP cache, which this bare site's "public" answers may fill).
    await context.setOffline(true);
    await page.goto(`${base}/fr/read`);
    expect(await page.textContent('#v')).toBe('/fr/read');
    const offline = await page.evaluate(() =>
      Promise.all(
        ['/editor/', '/editor/reports.csv', '/Editor/reports.csv', '/fr/a'].map((u) =>
          fetch(u, { cache: 'no-store' }).then(
            (r) => `${u} ${r.status}`,
            () => `${u} failed`,
          ),
        ),
      ),
    );
    expect(offline).toEqual(['/editor/ failed', '/editor/reports.csv failed', '/Editor/reports.csv failed', '/fr/a 200']);
    await context.setOffline(false);
  });

  it('on activation, a new worker deletes the editors’ pages and the no-store and private answers an older worker left in a store', async () => {
    // What an older worker kept: in its own store, and in one named like the next release's.
    await page.goto(`${base}/`);
    await page.evaluate(async () => {
      const page = (cacheControl: string) =>
        new Response('<!DOCTYPE html><title>t</title><p>Signed in as someone</p>', { headers: { 'content-type': 'text/html', 'cache-control': cacheControl } });
      for (const name of ['dalil-one', 'dalil-two']) {
        const store = await caches.open(name);
        await store.put('/editor/', page('public, max-age=60'));
        await store.put('/editor/reports.csv', page(''));
        await store.put('/editor', page('no-store'));
        await store.put('/fr/old-no-store', page('no-store'));
        await store.put('/fr/old-private', page('max-age=0, Private'));
        await store.put('/fr/old-kept', page('public, max-age=300'));
      }
    });
    version = 'two';
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    // The new worker keeps French again once it has cleaned up.
    await expect.poll(() => page.evaluate(() => caches.keys()), { timeout: 20_000, interval: 100 }).toEqual(['dalil-two']);
    await held(page, '/fr/a');
    expect(await forbidden(page)).toEqual([]);
    // What the old stores held that may still be kept is fetched again, in its new version (the
    // site's answer now: the old no-store and private paths are answered so again, and not kept).
    expect((await paths(page)).sort()).toEqual(['/', '/__offline/locales', '/fr/a', '/fr/asked', '/fr/old-kept', '/fr/read']);
  });
});
