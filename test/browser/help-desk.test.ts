import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realSite } from '../helpers.js';
import { launchChromium, overflow, serveApp } from './chromium.js';

// jsqr is CommonJS: its function is the module's default export at run time.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsQRModule as unknown as { default?: Decode }).default ?? jsQRModule) as unknown as Decode;

let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
const { catalogue } = await realSite();
const handouts = catalogue.guides.flatMap((g) => g.languages.map((l) => `/${l.id}/guides/${g.slug}/print`));

beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Pages of a PDF, counted from its page objects. */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

/** Elements wider than the page box, or drawn outside it, in print layout at the A4 text width. */
async function outsidePrintBox(page: Page) {
  await page.emulateMedia({ media: 'print' });
  return overflow(page);
}

describe('handouts printed on A4 in real Chromium', () => {
  it.each(handouts)('%s: at most 4 pages, nothing outside the page box', async (path) => {
    // 210 mm less two 12 mm margins, at 96 px to the inch.
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}${path}`);
    const layout = await outsidePrintBox(page);
    const pages = pdfPages(await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true }));
    await page.close();
    console.log(`handout ${path}: ${pages} page(s)`);
    expect(layout.scroll).toBeLessThanOrEqual(0);
    expect(layout.outside).toEqual([]);
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThanOrEqual(4);
  });

  it('the QR code of a handout, read from a screenshot, opens the online page at BASE_URL', async () => {
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}/ar/guides/franceconnect/print`);
    const png = PNG.sync.read(await page.locator('.qr__code').screenshot());
    await page.close();
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code?.data).toBe(`${app.origin}/ar/guides/franceconnect`);
  });

  it('the QR code of the help-desk mode opens the same step on the phone', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}/prs/guides/franceconnect/present/3`);
    const png = PNG.sync.read(await page.locator('.qr__code').screenshot());
    await page.close();
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(`${app.origin}/prs/guides/franceconnect#step-3`);
  });
});

describe('bilingual view', () => {
  it.each([
    ['/ar/guides/franceconnect?with=fr', 360],
    ['/ar/guides/franceconnect?with=fr', 1280],
    ['/prs/guides/aidants-connect?with=fr', 360],
    ['/prs/guides/aidants-connect?with=fr', 1280],
    ['/ar/guides/cnops?with=fr', 360],
    ['/ar/guides/cnops?with=fr', 1280],
  ])('%s at %i px: no overflow; the French blocks are lang="fr" dir="ltr" and laid out left to right', async (path, width) => {
    const page = await browser.newPage({ viewport: { width, height: 800 } });
    await page.goto(`${app.origin}${path}`);
    const layout = await page.evaluate(() => {
      const cols = [...document.querySelectorAll('.bi__col--other')];
      return {
        scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        count: cols.length,
        french: cols.every((c) => c.getAttribute('lang') === 'fr' && getComputedStyle(c).direction === 'ltr'),
        // Wide screens put the two columns side by side, phones one under the other.
        sideBySide: cols.map((c) => {
          const main = c.previousElementSibling!.getBoundingClientRect();
          const other = c.getBoundingClientRect();
          return Math.abs(main.top - other.top) < 2;
        }),
      };
    });
    await page.close();
    expect(layout.scroll).toBeLessThanOrEqual(0);
    expect(layout.count).toBeGreaterThan(5);
    expect(layout.french).toBe(true);
    expect(layout.sideBySide.every((s) => s === width >= 1280)).toBe(true);
  });
});

describe('presentation mode', () => {
  it.each([
    ['fr', 'ArrowRight', 'ArrowLeft'],
    ['ar', 'ArrowLeft', 'ArrowRight'],
  ])('%s: the arrow keys walk every step of the guide, forward then back, and Escape exits', async (locale, forward, back) => {
    const total = catalogue.get('cnops')!.stepCount;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}/${locale}/guides/cnops/present/1`);
    const seen = [1];
    for (let n = 2; n <= total; n++) {
      await Promise.all([page.waitForURL(`**/present/${n}`), page.keyboard.press(forward)]);
      seen.push(Number(new URL(page.url()).pathname.split('/').pop()));
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // The last step has no "next": the key goes nowhere (a navigation within a second would show).
    expect(await page.locator('a[rel="next"]').count()).toBe(0);
    const navigated = page.waitForEvent('framenavigated', { timeout: 1000 }).then(
      () => true,
      () => false,
    );
    await page.keyboard.press(forward);
    expect(await navigated).toBe(false);
    expect(page.url()).toMatch(new RegExp(`/present/${total}$`));
    await Promise.all([page.waitForURL(`**/present/${total - 1}`), page.keyboard.press(back)]);
    await Promise.all([page.waitForURL(`**/guides/cnops#step-${total - 1}`), page.keyboard.press('Escape')]);
    await page.close();
  });
});
