import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, overflow, serveApp } from './chromium.js';

let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** What the browser lays out for the first step of the guide, on a 360 px wide phone. */
async function firstStepLayout(locale: string) {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
  await page.goto(`${app.origin}/${locale}/guides/franceconnect`);
  const { scroll, outside } = await overflow(page);
  const layout = await page.evaluate(() => {
    const p = document.querySelector('#step-1 .step__body p')!;
    const box = p.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(p);
    const lines = [...range.getClientRects()];
    const number = document.querySelector('#step-1 .step__number')!.getBoundingClientRect();
    return {
      direction: getComputedStyle(p).direction,
      textAlign: getComputedStyle(p).textAlign,
      gapAtRight: Math.max(...lines.map((l) => box.right - l.right)),
      gapAtLeft: Math.min(...lines.map((l) => l.left - box.left)),
      numberIsRightOfText: number.left >= box.right,
      text: p.textContent,
    };
  });
  await page.close();
  return { ...layout, scroll, outside };
}

describe('guide at 360 px in real Chromium', () => {
  it.each(['ar', 'prs', 'ps'])('%s: no horizontal overflow, first step right-aligned with its number on the right', async (locale) => {
    const l = await firstStepLayout(locale);
    expect(l.text.length).toBeGreaterThan(10);
    expect(l.scroll).toBeLessThanOrEqual(0);
    expect(l.outside).toEqual([]);
    expect(l.direction).toBe('rtl');
    expect(l.gapAtRight).toBeLessThan(1);
    expect(l.gapAtLeft).toBeGreaterThan(0);
    expect(l.numberIsRightOfText).toBe(true);
  });

  it('fr (control): the same step is left-aligned with its number on the left', async () => {
    const l = await firstStepLayout('fr');
    expect(l.scroll).toBeLessThanOrEqual(0);
    expect(l.direction).toBe('ltr');
    expect(l.gapAtLeft).toBeLessThan(1);
    expect(l.numberIsRightOfText).toBe(false);
  });
});

describe('reflow (WCAG 1.4.10): 320 CSS px, what a 640 px screen shows at 200% zoom', () => {
  it.each(['fr', 'ar', 'prs', 'ps', 'en'].flatMap((l) => [`/${l}/`, `/${l}/guides/franceconnect`]).concat(['/']))(
    '%s has no horizontal scrolling',
    async (path) => {
      const page = await browser.newPage({ viewport: { width: 320, height: 640 }, serviceWorkers: 'block' });
      await page.goto(`${app.origin}${path}`);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      await page.close();
      expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
    },
  );
});

describe('closing punctuation after a boxed label', () => {
  it.each(['/fr/guides/franceconnect', '/ar/guides/franceconnect', '/ar/guides/cnss-amo-tadamon', '/fr/guides/cnops', '/ar/guides/cnops', '/en/guides/cnops'])(
    '%s at 320 and 360 px: a "." or "،" after a label is never alone at the start of a line',
    async (path) => {
      for (const width of [320, 360]) {
        const page = await browser.newPage({ viewport: { width, height: 740 }, serviceWorkers: 'block' });
        await page.goto(`${app.origin}${path}`);
        const runs = await page.evaluate(() =>
          [...document.querySelectorAll('.ui-run')].map((run) => {
            const label = run.querySelector('.ui')!.getClientRects();
            const last = label[label.length - 1]!;
            const text = [...run.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).at(-1)!;
            const r = document.createRange();
            r.setStart(text, text.textContent!.length - 1);
            r.setEnd(text, text.textContent!.length);
            const mark = r.getClientRects()[0]!;
            return { text: run.textContent, sameLine: mark.top < last.bottom && mark.bottom > last.top };
          }),
        );
        await page.close();
        expect(runs.length, path).toBeGreaterThan(0);
        expect(runs.filter((r) => !r.sameLine).map((r) => `${width}px: ${r.text}`)).toEqual([]);
      }
    },
  );
});

describe('dark scheme (prefers-color-scheme: dark)', () => {
  /** Relative luminance (WCAG) of the colours a guide page is drawn with, in a scheme and medium. */
  async function colours(colorScheme: 'light' | 'dark', media: 'screen' | 'print') {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    await page.emulateMedia({ colorScheme, media });
    await page.goto(`${app.origin}/fr/guides/cnops`);
    const seen = await page.evaluate(() => {
      const luminance = (css: string) => {
        const [r, g, b] = css
          .match(/[\d.]+/g)!
          .slice(0, 3)
          .map((c) => Number(c) / 255)
          .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
      return {
        background: luminance(style('html').backgroundColor),
        text: luminance(style('#step-1 .step__body p').color),
        link: luminance(style('#step-1 .step__body p a').color),
        screen: luminance(style('.screen').backgroundColor),
        screenText: luminance(style('.screen').color),
        colorScheme: style('html').colorScheme,
      };
    });
    await page.close();
    return seen;
  }

  it('a guide page: dark background, light text and links, form controls dark; the screen pictures stay light, as the real sites are', async () => {
    const c = await colours('dark', 'screen');
    expect(c.background).toBeLessThan(0.05);
    expect(c.text).toBeGreaterThan(0.6);
    expect(c.link).toBeGreaterThan(0.4);
    expect(c.colorScheme).toBe('dark');
    expect(c.screen).toBeGreaterThan(0.9);
    expect(c.screenText).toBeLessThan(0.05);
  });

  it('light (control): white background, dark text', async () => {
    const c = await colours('light', 'screen');
    expect(c.background).toBeGreaterThan(0.9);
    expect(c.text).toBeLessThan(0.05);
    expect(c.colorScheme).toBe('light');
  });

  it('on paper the page stays light even when the device asks for dark', async () => {
    const c = await colours('dark', 'print');
    expect(c.background).toBeGreaterThan(0.9);
    expect(c.text).toBeLessThan(0.05);
    expect(c.link).toBeLessThan(0.05);
    expect(c.colorScheme).toBe('light');
  });
});
