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

  it.each([
    ['/ar/guides/franceconnect/print', '/ar/guides/franceconnect'],
    // A bilingual handout opens the bilingual page.
    ['/ar/guides/cnss-amo-tadamon/print?with=fr', '/ar/guides/cnss-amo-tadamon?with=fr'],
  ])('the QR code of %s, read from a screenshot, opens %s at BASE_URL', async (path, online) => {
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}${path}`);
    const png = PNG.sync.read(await page.locator('.qr__code').screenshot());
    await page.close();
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(code?.data).toBe(`${app.origin}${online}`);
  });

  it('a bilingual handout lets a long step go on over the page between its actions: fewer half-empty pages', async () => {
    // The comparison below adds a style to the page: the test's own, past the site's CSP.
    const page = await browser.newPage({ viewport: { width: 703, height: 1000 }, serviceWorkers: 'block', bypassCSP: true });
    await page.goto(`${app.origin}/ar/guides/cnss-amo-tadamon/print?with=fr`);
    // Paper of several heights: each gap a step kept whole leaves at the foot of a page shows as pages.
    const heights = [297, 250, 210, 180, 150];
    const print = async () => {
      const counts: number[] = [];
      for (const h of heights) counts.push(pdfPages(await page.pdf({ width: '210mm', height: `${h}mm`, printBackground: true })));
      return counts;
    };
    // The paper size is the test's (the stylesheet asks for A4).
    await page.addStyleTag({ content: '@page { size: auto; }' });
    const flowing = await print();
    // The same handout with every step kept whole, as before.
    await page.addStyleTag({ content: '@media print { .step { break-inside: avoid !important; } }' });
    const whole = await print();
    await page.close();
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    console.log(
      `bilingual handout AMO Tadamon ar+fr, pages on paper ${heights.join('/')} mm high: ${flowing.join('/')}; with every step kept whole: ${whole.join('/')}`,
    );
    expect(flowing.every((n, i) => n <= whole[i]!)).toBe(true);
    expect(sum(flowing)).toBeLessThan(sum(whole));
  });

  it.each(['/fr/guides/franceconnect/print', '/ar/guides/cnops/print', '/prs/guides/aidants-connect/print?with=fr', '/ar/guides/cnss-amo-tadamon/print'])(
    '%s: on paper, addresses break only after a dot or a slash',
    async (path) => {
      const page = await browser.newPage({ viewport: { width: 703, height: 1000 }, serviceWorkers: 'block' });
      await page.goto(`${app.origin}${path}`);
      await page.emulateMedia({ media: 'print' });
      const bad = await page.evaluate(() => {
        const wrong: string[] = [];
        let wrapped = 0;
        for (const el of document.querySelectorAll('.url, .qr__url, .print-href')) {
          // Each character's line: where the line changes, the character before must end a part of the address.
          const chars: Array<{ ch: string; top: number }> = [];
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (let i = 0; i < n.textContent!.length; i++) {
              const r = document.createRange();
              r.setStart(n, i);
              r.setEnd(n, i + 1);
              const rect = r.getClientRects()[0];
              if (rect) chars.push({ ch: n.textContent![i]!, top: Math.round(rect.top) });
            }
          }
          for (let i = 1; i < chars.length; i++) {
            if (chars[i]!.top > chars[i - 1]!.top + 2) {
              wrapped += 1;
              if (!/[./ (?-]/.test(chars[i - 1]!.ch) && chars[i]!.ch !== '?') wrong.push(`${el.textContent} breaks after "${chars[i - 1]!.ch}"`);
            }
          }
        }
        return { wrong, wrapped };
      });
      await page.close();
      expect(bad.wrong).toEqual([]);
    },
  );

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
