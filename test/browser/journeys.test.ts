import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realSite } from '../helpers.js';
import { launchChromium, serveApp } from './chromium.js';

/**
 * A reader on a 360 × 740 phone: the guide first (its title, what it is, the way in, the first
 * section on the first screen and step 1 on the second), a header of one row, and nothing on the
 * page that looks like a control and is not one.
 */
let browser: Browser;
let page: Page;
let app: Awaited<ReturnType<typeof serveApp>>;
const { catalogue } = await realSite();
const guides = catalogue.guides.flatMap((g) => g.languages.map((l) => [l.id, g.slug] as const));

beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
  page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a guide on a 360 × 740 phone', () => {
  it.each(guides)('%s %s: a header of one row, the first section on the first screen, step 1 on the second', async (locale, slug) => {
    await page.goto(`${app.origin}/${locale}/guides/${slug}`);
    const at = await page.evaluate(() => {
      const top = (el: Element | null) => (el ? el.getBoundingClientRect().top + window.scrollY : Infinity);
      return {
        header: document.querySelector('.site-header')!.getBoundingClientRect().height,
        section: top(document.querySelector('.guide-section h2')),
        step: top(document.querySelector('#step-1')),
        start: document.querySelector('.guide-actions__start')?.getAttribute('href'),
      };
    });
    expect(at.header).toBeLessThanOrEqual(64);
    expect(at.section).toBeLessThan(740);
    expect(at.step).toBeLessThan(1480);
    expect(at.start).toBe('#step-1');
  });

  it.each(['fr', 'ar', 'ps'])('%s: the languages open in place, by their own names, and the header keeps its height', async (locale) => {
    await page.goto(`${app.origin}/${locale}/guides/franceconnect`);
    const header = await page.evaluate(() => document.querySelector('.site-header')!.getBoundingClientRect().height);
    await page.click('.language-switcher summary');
    const names = await page.locator('.language-switcher li a').allTextContents();
    expect(names).toEqual(['Français', 'العربية', 'دری', 'پښتو', 'English']);
    expect(await page.locator('.language-switcher li a').first().isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('.site-header')!.getBoundingClientRect().height)).toBe(header);
  });
});

describe('nothing looks like a control and is not one', () => {
  it.each([
    ['fr', 'franceconnect'],
    ['ar', 'franceconnect'],
    ['prs', 'aidants-connect'],
    ['en', 'cnops'],
  ])('%s %s: every "button" is a link or a button; no box drawn like a checkbox outside the pictures of real screens', async (locale, slug) => {
    await page.goto(`${app.origin}/${locale}/guides/${slug}`);
    const fake = await page.evaluate(() => {
      const found: string[] = [];
      for (const el of document.querySelectorAll('.button')) if (!['A', 'BUTTON'].includes(el.tagName)) found.push(`${el.tagName}.button`);
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('figure.screen-figure, .screen')) continue;
        for (const pseudo of ['::before', '::after']) {
          const s = getComputedStyle(el, pseudo);
          if (s.content === 'none' || s.content === 'normal') continue;
          const w = parseFloat(s.width);
          const h = parseFloat(s.height);
          const boxed = ['Top', 'Right', 'Bottom', 'Left'].every((side) => parseFloat(s.getPropertyValue(`border-${side.toLowerCase()}-width`)) > 0);
          if (boxed && w >= 10 && w <= 30 && Math.abs(w - h) < 2) found.push(`${el.tagName}.${el.className}${pseudo}`);
        }
      }
      return found;
    });
    expect(fake).toEqual([]);
  });

  it('the providers’ requirements are real checkboxes: ticking two and sending opens the checker with them', async () => {
    await page.goto(`${app.origin}/fr/guides/franceconnect`);
    await page.check('#providers-idp-impots-tax-number');
    await page.check('#providers-idp-msa-msa-membership');
    await page.click('.cards-form button[type="submit"]');
    await page.waitForURL('**/fr/tools/identity-provider?**');
    const url = new URL(page.url());
    expect(url.searchParams.getAll('has').sort()).toEqual(['msa-membership', 'tax-number']);
    expect(await page.locator('[data-provider-match="msa"]').count()).toBe(1);
  });
});

describe('a tool’s answer takes the focus', () => {
  it.each(['fr', 'ar'])('%s: after the checker’s form, the answer is where the page opens, and focused', async (locale) => {
    await page.goto(`${app.origin}/${locale}/tools/identity-provider`);
    await page.check('#has-msa-membership');
    await page.click('form.tool-form button[type="submit"]');
    await page.waitForURL(`**/${locale}/tools/identity-provider?**#result`);
    // The fragment of the form's action makes the answer the target: the next Tab starts there.
    await page.keyboard.press('Tab');
    const inResult = await page.evaluate(
      () => Boolean(document.activeElement?.closest('#result')) || document.activeElement === document.querySelector('#result'),
    );
    expect(inResult).toBe(true);
  });
});
