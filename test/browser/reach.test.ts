import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchChromium, overflow, serveApp } from './chromium.js';
import { type Speech, type Spoken, withVoices } from './speech.js';

let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const speech = (page: Page) => page.evaluate(() => (window as unknown as { speech: Speech }).speech);
const finish = (page: Page) => page.evaluate(() => (window as unknown as { speech: Speech }).speech.finish());
const spokenCount = async (page: Page) => (await speech(page)).spoken.length;
const speaking = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.is-speaking')].map((el) => el.id || el.tagName.toLowerCase()));

const PERSIAN = { name: 'Dariush', lang: 'fa-IR' };
const FRENCH = { name: 'Amélie', lang: 'fr-FR' };
const ARABIC = { name: 'Maged', lang: 'ar-SA' };

async function open(path: string, voices: Array<{ name: string; lang: string }> | null, options: { late?: boolean; width?: number } = {}) {
  const context = await browser.newContext({ viewport: { width: options.width ?? 360, height: 740 }, serviceWorkers: 'block', reducedMotion: 'reduce' });
  await withVoices(context, voices, options.late);
  const page = await context.newPage();
  await page.goto(`${app.origin}${path}`);
  return { context, page };
}

/** What a reader hears from an element: its words (punctuation aside), less what is never read (screens, forms, the report link). */
const readable = (page: Page, selector: string) =>
  page.evaluate((selector) => {
    const copy = document.querySelector(selector)!.cloneNode(true) as Element;
    for (const el of copy.querySelectorAll(
      'figure, form:not(.cards-form), button, nav, [aria-hidden="true"], [hidden], [data-report-panel], .report-link, .print-href, .start-again, .callout__meta, .provenance, .meta',
    ))
      el.remove();
    return (copy.textContent ?? '').replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim();
  }, selector);
const heard = (lines: Spoken[]) =>
  lines
    .map((l) => l.text)
    .join(' ')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();

/** Lets the device finish part after part until the element with this id is the one read; the lines said for it. */
async function readOnTo(page: Page, id: string) {
  let before = 0;
  while (!(await speaking(page)).includes(id)) {
    before = await spokenCount(page);
    await finish(page);
    expect(await spokenCount(page), `the reading went on past ${id}`).toBeGreaterThan(before);
  }
  return (await speech(page)).spoken.slice(before);
}

describe('read aloud, with the device’s speech synthesis (stubbed) in real Chromium', () => {
  it('Dari with only a Persian voice: the control says so; the guide is read in order, one voice per sentence, the step highlighted and in view', async () => {
    const { context, page } = await open('/prs/guides/franceconnect', [FRENCH, PERSIAN]);
    await expect.poll(() => page.locator('[data-listen]').isVisible()).toBe(true);
    expect(await page.textContent('[data-listen-voice]')).toBe('صدا: Dariush (فارسی ایران: در این دستگاه صدای دری نیست)');
    await page.click('[data-listen-play]');
    // The title first: one Dari sentence with "FranceConnect" (lang="fr") in it, in the one Persian voice.
    const first = (await speech(page)).spoken;
    expect(first[0]).toEqual({ text: (await page.textContent('h1'))!.trim(), lang: 'fa-IR', voice: 'Dariush' });
    expect(first[0]!.text).toContain('FranceConnect');
    expect(await speaking(page)).toEqual(['div']);
    // The device finishes each part and the next follows, to step 2: «روی دکمه S’identifier avec FranceConnect فشار بدهید»,
    // the button's French label inside the Dari sentence: the same voice throughout.
    const step = await readOnTo(page, 'step-2');
    expect(heard(step)).toBe(await readable(page, '#step-2'));
    expect(step.map((l) => l.voice)).toEqual(step.map(() => 'Dariush'));
    const label = (await page.textContent('#step-2 [lang="fr"]'))!.trim();
    expect(step.some((l) => l.text.includes(label))).toBe(true);
    // Highlighted, and scrolled into the window.
    expect(await speaking(page)).toEqual(['step-2']);
    const box = await page.evaluate(() => {
      const r = document.getElementById('step-2')!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight, background: getComputedStyle(document.getElementById('step-2')!).backgroundColor };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(box.height / 2);
    expect(box.background).toBe('rgb(255, 243, 176)');
    // A sentence wholly in French, a provider's name on its card, takes the French voice.
    const cards = await readOnTo(page, 'providers');
    expect(cards).toContainEqual({ text: 'Yris', lang: 'fr-FR', voice: 'Amélie' });
    await context.close();
  });

  it('reads the guide, never what the page says about itself (sources, dates, where its text comes from, the page’s ways)', async () => {
    const { context, page } = await open('/fr/guides/franceconnect', [FRENCH]);
    await expect.poll(() => page.locator('[data-listen-play]').isVisible()).toBe(true);
    await page.click('[data-listen-play]');
    while (await page.evaluate(() => document.documentElement.classList.contains('is-listening'))) await finish(page);
    const all = heard((await speech(page)).spoken);
    expect(all).toContain(await readable(page, '#step-1'));
    const about = await page
      .locator('.callout__meta, .provenance, .about .meta, .about__ways')
      .evaluateAll((els) => els.map((el) => (el.textContent ?? '').replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim()));
    expect(about.length).toBeGreaterThan(3);
    for (const line of about) expect(all, line).not.toContain(line);
    await context.close();
  });

  it('Dari with a Dari voice: no Persian notice', async () => {
    const { context, page } = await open('/prs/guides/aidants-connect', [PERSIAN, { name: 'Dari', lang: 'fa-AF' }]);
    await expect.poll(() => page.textContent('[data-listen-voice]')).toBe('صدا: Dari');
    await context.close();
  });

  it('by keyboard: Enter starts, focus goes to Pause, Tab reaches the next step, Escape stops and gives focus back', async () => {
    const { context, page } = await open('/fr/guides/cnops', [ARABIC, FRENCH]);
    await expect.poll(() => page.locator('[data-listen-play]').isVisible()).toBe(true);
    await page.focus('[data-listen-play]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-listen-pause'))).toBe(true);
    expect((await speech(page)).spoken[0]).toEqual({
      text: 'Obtenir votre mot de passe pour les services en ligne de la CNOPS',
      lang: 'fr-FR',
      voice: 'Amélie',
    });
    // Pause, then resume: the same button, its word in the reader's language.
    await page.keyboard.press('Enter');
    expect((await speech(page)).paused).toBe(true);
    expect(await page.textContent('[data-listen-pause]')).toBe('Reprendre');
    await page.keyboard.press('Space');
    expect((await speech(page)).paused).toBe(false);
    expect(await page.textContent('[data-listen-pause]')).toBe('Pause');
    // Tab: previous, next.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Étape suivante');
    const before = await speaking(page);
    await page.keyboard.press('Enter');
    expect(await speaking(page)).not.toEqual(before);
    await page.keyboard.press('Escape');
    expect(await speaking(page)).toEqual([]);
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-listen-play'))).toBe(true);
    expect(await page.locator('[data-listen-pause]').isVisible()).toBe(false);
    await context.close();
  });

  it('stops when the reader leaves the page', async () => {
    const { context, page } = await open('/ar/guides/franceconnect', [ARABIC]);
    await expect.poll(() => page.locator('[data-listen-play]').isVisible()).toBe(true);
    await page.click('[data-listen-play]');
    const cancels = () => page.evaluate(() => Number(sessionStorage.getItem('cancels')));
    const before = await cancels();
    await page.click('.about a[href$="/print"]');
    await page.waitForURL('**/ar/guides/franceconnect/print');
    expect(await cancels()).toBe(before + 1);
    await context.close();
  });

  it('a help-desk step is read as one part (no next and previous in the bar); a tool answer too', async () => {
    const { context, page } = await open('/ar/guides/cnops/present/3', [ARABIC, FRENCH]);
    await expect.poll(() => page.locator('[data-listen-play]').isVisible()).toBe(true);
    await page.click('[data-listen-play]');
    expect(await page.locator('[data-listen-next]').isVisible()).toBe(false);
    expect(heard((await speech(page)).spoken)).toBe(await readable(page, 'article.present'));
    await finish(page);
    expect(await speaking(page)).toEqual([]);
    await page.goto(`${app.origin}/ar/tools/no-social-security-number?profile=asylum-seeker`);
    await page.click('[data-listen-play]');
    expect(heard((await speech(page)).spoken)).toBe(await readable(page, 'section.result'));
    await context.close();
  });

  it('voices that arrive late (as in Chrome) bring the control then', async () => {
    const { context, page } = await open('/en/guides/franceconnect', [{ name: 'Daniel', lang: 'en-GB' }], { late: true });
    await page.waitForLoadState('load');
    expect(await page.locator('[data-listen]').getAttribute('hidden')).toBe('');
    await page.evaluate(() => (window as unknown as { speech: Speech }).speech.arrive());
    expect(await page.locator('[data-listen]').isVisible()).toBe(true);
    expect(await page.textContent('[data-listen-voice]')).toBe('Voice: Daniel');
    await context.close();
  });

  it.each([
    ['no voice for the language (Pashto, with French and Persian voices)', '/ps/guides/franceconnect', [FRENCH, PERSIAN]],
    ['no speech synthesis at all', '/ar/guides/franceconnect', null],
  ])('%s: no control, nothing added to the page', async (_, path, voices) => {
    const { context, page } = await open(path, voices);
    await page.waitForTimeout(300);
    expect(await page.locator('[data-listen]').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.className)).toBe('');
    await context.close();
  });

  it('without a script: no control, no buttons of "send to a phone"; its links are there', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${app.origin}/prs/guides/franceconnect`);
    expect(await page.locator('[data-listen]').isVisible()).toBe(false);
    expect(await page.locator('[data-share-js]').isVisible()).toBe(false);
    expect(await page.locator('#share a[href^="sms:"]').isVisible()).toBe(true);
    await context.close();
  });

  it.each([
    ['/fr/guides/cnops', FRENCH],
    ['/ps/guides/franceconnect', { name: 'Pashto', lang: 'ps-AF' }],
    ['/ar/guides/cnops/present/4?with=fr', ARABIC],
    ['/prs/tools/no-social-security-number?profile=asylum-seeker', PERSIAN],
  ])('%s at 320 px, reading: no axe violation, the bar fits, the end of the page can still be read above it', async (path, voice) => {
    const { context, page } = await open(path, [voice], { width: 320 });
    await page.click('[data-listen-play]');
    expect(await axeViolations(page)).toEqual([]);
    expect(await overflow(page)).toEqual({ scroll: 0, outside: [] });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const [bar, footer] = await page.evaluate(() =>
      [document.querySelector('[data-listen]'), document.querySelector('.site-footer p:last-child')].map((el) => el!.getBoundingClientRect().top),
    );
    expect(footer).toBeLessThan(bar!);
    await context.close();
  });
});

describe('send to a phone, in real Chromium', () => {
  it('copies the address of the page; the share sheet gets the title and the address; nothing comes from another host', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      serviceWorkers: 'block',
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await context.addInitScript(() => {
      Object.defineProperty(navigator, 'share', {
        value: (data: unknown) => {
          (window as unknown as { shared: unknown }).shared = data;
          return Promise.resolve();
        },
      });
    });
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    await page.goto(`${app.origin}/ps/guides/aidants-connect/present/4`);
    const url = `${app.origin}/ps/guides/aidants-connect#step-2`;
    expect(await page.getAttribute('[data-share-url]', 'href')).toBe(url);
    await expect.poll(() => page.locator('[data-share-copy]').isVisible()).toBe(true);
    await page.click('[data-share-copy]');
    await expect.poll(() => page.textContent('[data-share-status]')).toBe(await page.getAttribute('[data-share-copy]', 'data-copied'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await page.click('[data-share-native]');
    expect(await page.evaluate(() => (window as unknown as { shared: unknown }).shared)).toEqual({ title: await page.title(), url });
    expect(requests.filter((r) => !r.startsWith(`${app.origin}/`))).toEqual([]);
    await context.close();
  });

  it('no share sheet on this device: its button is gone, the copy button stays, nothing moves', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block', permissions: ['clipboard-write'] });
    await context.addInitScript(() => {
      Object.defineProperty(navigator, 'share', { value: undefined });
      const w = window as unknown as { shifted: number };
      w.shifted = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as Array<PerformanceEntry & { value: number }>) w.shifted += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`${app.origin}/en/tools/identity-provider?has=smartphone&answered=1`);
    await expect.poll(() => page.locator('[data-share-copy]').isVisible()).toBe(true);
    expect(await page.locator('[data-share-native]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { shifted: number }).shifted)).toBe(0);
    await context.close();
  });
});
