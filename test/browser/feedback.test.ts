import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEditor } from '../../src/store/editors.js';
import { addReport } from '../../src/store/feedback.js';
import { testStore } from '../helpers.js';
import { axeViolations, launchChromium, serveApp } from './chromium.js';

let browser: Browser;
let app: Awaited<ReturnType<typeof serveApp>>;
beforeAll(async () => {
  [browser, app] = await Promise.all([launchChromium(), serveApp()]);
  expect(await testStore().available()).toBe(true);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const reports = () => testStore().db.selectFrom('reports').selectAll().orderBy('id').execute();
const answers = () => testStore().db.selectFrom('screen_answers').selectAll().orderBy('id').execute();

describe('feedback in real Chromium', () => {
  it('without JavaScript: "No" under a screen opens what is different and what to do now; the report sent is linked to the answer', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${app.origin}/fr/guides/cnops`);
    const before = (await answers()).length;
    await page.locator('#step-5 form.screen-check button[value="no"]').click();
    await page.waitForURL(/\/fr\/guides\/cnops\/report\?step=5&screen=email&answer=\d+$/);
    expect(await page.textContent('h1')).toBe('Qu’est-ce qui est différent sur votre écran\u00a0?');
    const [answer] = (await answers()).slice(before);
    expect(answer).toEqual(expect.objectContaining({ guide: 'cnops', step: 5, screen: 'email', answer: 'no', language: 'fr' }));
    expect(await page.isChecked('#kind-screen-different')).toBe(true);
    expect(await page.locator('[data-help-now] a[href="https://www.cnops.org.ma/"]').count()).toBe(1);
    await page.fill('#comment', 'Le bouton s’appelle autrement. Mon numéro : 06 12 34 56 78.');
    await page.click('form.report-form button[type="submit"]');
    await page.waitForURL('**/fr/feedback/thanks?guide=cnops&step=5');
    expect(await page.textContent('h1')).toBe('Merci');
    const [report] = (await reports()).slice(-1);
    expect(report).toMatchObject({
      guide: 'cnops',
      step: 5,
      kind: 'screen-different',
      language: 'fr',
      comment: 'Le bouton s’appelle autrement. Mon numéro : […].',
      answer_id: answer!.id,
    });
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('with JavaScript: "No" opens, in place, what is different and what to do now; the page stays', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${app.origin}/ar/guides/cnss-amo-tadamon`);
    await page.locator('form.screen-check button[value="no"]').first().click();
    const panel = page.locator('.report-panel--inline');
    await expect.poll(() => panel.count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/ar/guides/cnss-amo-tadamon');
    // Its heading has the focus (a screen reader reads it); the report form and the number to call are there.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('ما الذي يختلف على شاشتك؟');
    expect(await panel.locator('form.report-form input[name="answer"]').count()).toBe(1);
    expect(await panel.locator('a[href="tel:0520194040"]').count()).toBe(1);
    // Ids stay unique on the page.
    expect(
      await page.evaluate(() => {
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        return ids.length - new Set(ids).size;
      }),
    ).toBe(0);
    await context.close();
  });

  it('with JavaScript: the answer goes in place, the form gives way to a thank-you, the page stays', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${app.origin}/ar/guides/cnops`);
    const before = (await answers()).length;
    await page.locator('#step-2 form.screen-check button[value="yes"]').click();
    await expect.poll(() => page.locator('#step-2 .screen-check__thanks').textContent()).toBe('شكرًا. هذا يساعدنا على إبقاء الدليل محدَّثًا.');
    expect(new URL(page.url()).pathname).toBe('/ar/guides/cnops');
    expect((await answers()).slice(before)).toEqual([expect.objectContaining({ step: 2, screen: 'terms', answer: 'yes', language: 'ar' })]);
    await context.close();
  });

  it.each(['fr', 'en'])('the editors’ area (%s), signed in through its form: no axe violation on any page, no cookie outside /editor', async (language) => {
    await addEditor(testStore(), `editor-${language}`, 'a long enough pass phrase', { role: 'admin', languages: ['ar'] }).catch(() => undefined);
    await addEditor(testStore(), `other-${language}`, 'a long enough pass phrase', { role: 'reviewer', languages: ['prs', 'ps'] }).catch(() => undefined);
    await addReport(testStore(), { guide: 'cnops', step: 4, tool: null, language: 'ar', kind: 'step-wrong', comment: 'الزر تغيّر', release: 'r' });
    const context = await browser.newContext({ locale: language, viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${app.origin}/editor/`);
    await page.waitForURL('**/editor/sign-in');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#name', `editor-${language}`);
    await page.fill('#password', 'a long enough pass phrase');
    await page.click('button[type="submit"]');
    await page.waitForURL('**/editor/');
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    expect(await page.locator('.editor-group').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    for (const path of ['/editor/guides', '/editor/changes', '/editor/history', '/editor/accounts', '/editor/audit']) {
      await page.click(`.editor-nav a[href="${path}"]`);
      await page.waitForURL(`**${path}`);
      expect(await page.locator('.editor-nav [aria-current="page"]').getAttribute('href')).toBe(path);
      expect(await axeViolations(page), path).toEqual([]);
    }
    const cookies = await context.cookies();
    expect(cookies.map((c) => [c.name, c.path, c.httpOnly, c.sameSite])).toEqual([['dalil_editor', '/editor', true, 'Strict']]);
    await context.close();
  });
});
