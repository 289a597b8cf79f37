import jsQRModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realSite } from '../helpers.js';
import { launchChromium, overflow, serveApp } from './chromium.js';
import { withVoices } from './speech.js';

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
    await page.goto(`${app.origin}/prs/guides/franceconnect/present/5`);
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
  const cnops = catalogue.get('cnops')!;

  it.each([
    ['fr', 'ArrowRight', 'ArrowLeft'],
    ['ar', 'ArrowLeft', 'ArrowRight'],
  ])(
    '%s: Page Down, Space and the arrow of reading walk every screen from the first part; Page Up, Shift+Space, the other arrow go back; Home, End; Escape exits',
    async (locale, forward, back) => {
      const total = cnops.parts.length;
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
      const at = () => Number(new URL(page.url()).pathname.split('/').pop());
      const press = (key: string, n: number) => Promise.all([page.waitForURL(`**/${locale}/guides/cnops/present/${n}`), page.keyboard.press(key)]);
      await page.goto(`${app.origin}/${locale}/guides/cnops/present/1`);
      // The first screen is the first part of the guide: before you begin, and its warning.
      expect(await page.locator('.present__part#before .callout--warning').count()).toBe(1);
      const seen = [at()];
      const keys = ['PageDown', 'Space', forward];
      for (let n = 2; n <= total; n++) {
        await press(keys[(n - 2) % keys.length]!, n);
        seen.push(at());
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // The last screen has no "next": the keys go nowhere (a navigation within a second would show).
      expect(await page.locator('a[rel="next"]').count()).toBe(0);
      for (const key of ['PageDown', forward]) {
        const navigated = page.waitForEvent('framenavigated', { timeout: 400 }).then(
          () => true,
          () => false,
        );
        await page.keyboard.press(key);
        expect(await navigated, key).toBe(false);
      }
      expect(at()).toBe(total);
      await press('PageUp', total - 1);
      await press('Shift+Space', total - 2);
      await press(back, total - 3);
      await press('Home', 1);
      await press('End', total);
      await press('Home', 1);
      await Promise.all([page.waitForURL(`**/${locale}/guides/cnops#before`), page.keyboard.press('Escape')]);
      await page.goBack();
      await Promise.all([page.waitForURL(`**/${locale}/guides/cnops/present/2`), page.keyboard.press('PageDown')]);
      await Promise.all([page.waitForURL(`**/${locale}/guides/cnops#step-1`), page.keyboard.press('Escape')]);
      await page.close();
    },
  );

  it('keys typed in a form field stay the field’s', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    // A screen with a form: FranceConnect's identity providers, whose cards are checkboxes.
    const g = catalogue.get('franceconnect')!;
    const n = g.parts.findIndex((p) => 'blocks' in p && g.sections[p.section]!.id === 'providers') + 1;
    await page.goto(`${app.origin}/fr/guides/franceconnect/present/${n}`);
    await page.locator('.present__part input[type="checkbox"]').first().focus();
    const navigated = page.waitForEvent('framenavigated', { timeout: 1000 }).then(
      () => true,
      () => false,
    );
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Space');
    expect(await navigated).toBe(false);
    expect(await page.locator('.present__part input[type="checkbox"]').first().isChecked()).toBe(true);
    await page.close();
  });

  /** The screen of a guide's step with the most screen pictures (its branches' too): a long one. */
  const longStep = (slug: string) => {
    const g = catalogue.get(slug)!;
    const pictures = g.sections.flatMap((s) =>
      s.blocks.flatMap((b) => (b.type === 'steps' ? b.steps.map((st) => st.screens.length + st.branches.reduce((n, br) => n + br.screens.length, 0)) : [])),
    );
    const k = pictures.indexOf(Math.max(...pictures)) + 1;
    return g.parts.findIndex((p) => 'step' in p && p.step === k) + 1;
  };

  it.each([
    ['fr', 360, 740],
    ['ar', 360, 740],
    ['fr', 1280, 800],
    ['ar', 1280, 800],
  ])(
    '%s at %i×%i: on a long step, previous and next are on screen before any scrolling and after it, in the order of reading, and cover nothing at the end',
    async (locale, width, height) => {
      const page = await browser.newPage({ viewport: { width, height }, serviceWorkers: 'block' });
      await page.goto(`${app.origin}/${locale}/guides/cnops/present/${longStep('cnops')}`);
      const bar = () =>
        page.evaluate(() => {
          const box = (sel: string) => {
            const r = document.querySelector(sel)!.getBoundingClientRect();
            return { top: r.top, bottom: r.top + r.height, left: r.left, right: r.right };
          };
          const before = document.querySelector('.present__nav')!.previousElementSibling!.getBoundingClientRect();
          return {
            next: box('a[rel="next"]'),
            prev: box('a[rel="prev"]'),
            nav: box('.present__nav'),
            before: before.bottom,
            height: innerHeight,
            page: document.documentElement.scrollHeight,
          };
        });
      const start = await bar();
      // The screen is long: the page scrolls.
      expect(start.page).toBeGreaterThan(start.height * 1.5);
      for (const b of [start.next, start.prev]) {
        expect(b.top).toBeGreaterThanOrEqual(0);
        expect(b.bottom).toBeLessThanOrEqual(start.height);
      }
      // Next is at the end of the line: right in French, left in Arabic.
      if (locale === 'ar') expect(start.next.right).toBeLessThan(start.prev.left);
      else expect(start.next.left).toBeGreaterThan(start.prev.right);
      await page.mouse.wheel(0, start.height / 2);
      await page.waitForFunction(() => scrollY > 0);
      const middle = await bar();
      expect(middle.next.bottom).toBeLessThanOrEqual(middle.height);
      expect(middle.next.top).toBeGreaterThanOrEqual(0);
      // At the end of the page the bar is under the last of the content, not over it.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const end = await bar();
      expect(end.nav.top).toBeGreaterThanOrEqual(end.before - 0.5);
      expect(end.next.bottom).toBeLessThanOrEqual(end.height);
      await page.close();
    },
  );

  it.each([
    ['fr', 'fr-FR'],
    ['ar', 'ar-SA'],
  ])('%s: "Listen", its button and its bar while it reads, covers neither previous nor next, nor the end of the page', async (locale, voice) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    // A device with one voice in the page's language.
    await withVoices(context, [{ name: 'Voice', lang: voice }]);
    const page = await context.newPage();
    await page.goto(`${app.origin}/${locale}/guides/cnops/present/${longStep('cnops')}`);
    await expect.poll(() => page.locator('[data-listen-play]').isVisible()).toBe(true);
    const clear = () =>
      page.evaluate(() => {
        const listen = document.querySelector('[data-listen]')!.getBoundingClientRect();
        const apart = (r: DOMRect) => r.bottom <= listen.top + 0.5 || r.top >= listen.bottom - 0.5 || r.right <= listen.left || r.left >= listen.right;
        return ['a[rel="next"]', 'a[rel="prev"]'].map((sel) => apart(document.querySelector(sel)!.getBoundingClientRect()));
      });
    // Scrolled to the end in the same task as the measure. Starting to read scrolls the first part
    // into view smoothly: the end is measured again until that scroll has stopped moving the page.
    const end = () =>
      page.evaluate(() => {
        window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
        return (
          document.querySelector('.site-footer p:last-child')!.getBoundingClientRect().bottom <=
          document.querySelector('[data-listen]')!.getBoundingClientRect().top
        );
      });
    expect(await clear()).toEqual([true, true]);
    expect(await end()).toBe(true);
    await page.click('[data-listen-play]');
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('is-listening'))).toBe(true);
    // Measured once the bar's new words are drawn in their own face (a face not used before loads
    // after the first layout; on a loaded machine that shows), and the scroll to the part has stopped.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await expect.poll(clear, { timeout: 5000 }).toEqual([true, true]);
    await expect.poll(end, { timeout: 5000 }).toBe(true);
    await context.close();
  });

  it.each([
    ['fr', 1],
    ['ar', 1],
    ['fr', 2],
    ['ar', 2],
  ])('%s, screen %i: the text is at least 1.5 times the body’s size', async (locale, n) => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    await page.goto(`${app.origin}/${locale}/guides/cnops/present/${n}`);
    const sizes = await page.evaluate(() => {
      const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
      return {
        body: px(document.body),
        text: [...document.querySelectorAll('.present__part > p:not([class]), .present__step .step__body > p:not([class])')].map(px),
      };
    });
    await page.close();
    expect(sizes.text.length).toBeGreaterThan(0);
    for (const size of sizes.text) expect(size).toBeGreaterThanOrEqual(1.5 * sizes.body);
  });
});
