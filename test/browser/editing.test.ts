import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.js';
import { addEditor } from '../../src/store/editors.js';
import { addReport } from '../../src/store/feedback.js';
import { ROOT, contentRepository } from '../helpers.js';
import { type RunningServer, startServer } from '../server.js';
import { axeViolations, launchChromium } from './chromium.js';

/**
 * The editing round in real Chromium against the real server process: an editor reaches the
 * texts of a step from a report, fixes one, submits it; a second account approves and publishes;
 * the readers' page at the same address shows the new text, and the content's git history the
 * commit by the editor. No page of the area has an axe violation, in English or in French.
 */
const dir = mkdtempSync(join(tmpdir(), 'dalil-editing-browser-'));
const { content, git, create } = contentRepository(dir);
const PASSWORD = 'a long enough pass phrase';
const NEW_TEXT = 'اقرأ الشروط، وضع علامة في الخانة {accept-box}، ثم اضغط على {continue}.';
let browser: Browser;
let server: RunningServer;

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });

beforeAll(async () => {
  create();
  // A draft of the CNOPS guide in Dari (its file, not in the guide's languages): its title only.
  writeFileSync(join(content, 'guides/cnops/prs.yaml'), 'title: راهنمای حساب CNOPS\n');
  const database = join(dir, 'dalil.sqlite');
  const store = openStore({ kind: 'sqlite', path: database }, ROOT);
  expect(await store.available()).toBe(true);
  await addEditor(store, 'eda', PASSWORD, { role: 'editor', languages: ['ar'] });
  await addEditor(store, 'rafi', PASSWORD, { role: 'reviewer', languages: [] });
  await addEditor(store, 'lea', PASSWORD, { role: 'editor', languages: ['fr'] });
  await addReport(store, { guide: 'cnops', step: 2, tool: null, language: 'ar', kind: 'screen-different', comment: 'الزر تغيّر', release: 'r1' });
  await store.close();
  const port = await freePort();
  [browser, server] = await Promise.all([
    launchChromium(),
    startServer({
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      NODE_ENV: 'test',
      CONTENT_DIR: content,
      DATABASE_URL: `file:${database}`,
      LOG_LEVEL: 'warn',
    }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(name: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${server.origin}/editor/sign-in`);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL('**/editor/');
  return page;
}

describe('the editing round in real Chromium', () => {
  it('from a report to the fix readers see: one editor writes, a second approves and publishes, marking the report handled; the commit is the editor’s', async () => {
    const eda = await signIn('eda', 'en');
    await eda.click('a[href="/editor/guides/cnops/ar#step-2"]');
    await eda.waitForURL('**/editor/guides/cnops/ar#step-2');
    expect(await axeViolations(eda), 'edit page').toEqual([]);
    // The step the report was about is where the page opens.
    const terms = eda.locator('#text-steps-terms');
    expect(await terms.locator('[data-reports]').textContent()).toContain('1 open report');
    await terms.locator('textarea').fill(NEW_TEXT);
    await terms.locator('button[data-action="save"]').click();
    await eda.waitForURL('**/editor/guides/cnops/ar?saved=steps.terms#text-steps-terms');
    expect(await eda.locator('#text-steps-terms textarea').inputValue()).toBe(NEW_TEXT);
    await eda.click('[data-draft] a');
    await eda.waitForURL(/\/editor\/changes\/\d+$/);
    expect(await axeViolations(eda), 'change set, draft').toEqual([]);
    await eda.fill('#summary', 'CNOPS: the terms box, said more simply');
    await eda.click('button[data-action="submit"]');
    await eda.waitForLoadState();
    expect(await eda.locator('[data-status]').getAttribute('data-status')).toBe('submitted');

    const rafi = await signIn('rafi', 'fr');
    // The reference page, with the guide's facts to edit: no axe violation either.
    await rafi.goto(`${server.origin}/editor/guides/cnops/fr`);
    expect(await rafi.locator('[data-fact="continue"] input[name="fact.continue"]').count()).toBe(1);
    expect(await axeViolations(rafi), 'edit page with facts').toEqual([]);
    await rafi.click('.editor-nav a[href="/editor/changes"]');
    await rafi.waitForURL('**/editor/changes');
    expect(await axeViolations(rafi), 'changes').toEqual([]);
    await rafi.click('[data-status="submitted"] a');
    await rafi.waitForURL(/\/editor\/changes\/\d+$/);
    // Arabic beside Arabic, each cell in its own direction.
    expect(await rafi.locator('ins').getAttribute('dir')).toBe('rtl');
    expect(await axeViolations(rafi), 'change set, submitted').toEqual([]);
    // The preview: the readers' page with the change, under a banner; no axe violation either.
    await rafi.click('[data-preview-link]');
    await rafi.waitForURL(/\/editor\/preview\/ar\/guides\/cnops\?set=\d+$/);
    expect(await rafi.locator('.preview-banner').count()).toBe(1);
    expect(await rafi.locator('#step-2').textContent()).toContain('اقرأ الشروط، وضع علامة في الخانة');
    expect(await axeViolations(rafi), 'preview').toEqual([]);
    await rafi.goBack();
    await rafi.click('button[data-action="approve"]');
    await rafi.waitForSelector('button[data-action="publish"]');
    // The report that led to it is marked handled with the publish.
    expect(await axeViolations(rafi), 'change set, approved, its reports offered').toEqual([]);
    await rafi.check('#handled');
    const reader = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await reader.goto(`${server.origin}/ar/guides/cnops`);
    expect(await reader.locator('main').textContent()).not.toContain('اقرأ الشروط');

    const started = performance.now();
    await rafi.click('button[data-action="publish"]');
    await rafi.waitForSelector('[data-status="published"]');
    await reader.reload();
    expect(await reader.locator('#step-2').textContent()).toContain('اقرأ الشروط، وضع علامة في الخانة');
    console.log(`publish of one text → the readers' page shows it: ${Math.round(performance.now() - started)} ms`);
    // What changed, under "About this page", in Arabic; the page with it has no axe violation.
    expect(await reader.locator('.about__history li').count()).toBe(1);
    expect(await axeViolations(reader), 'readers’ page with its history').toEqual([]);
    expect(await axeViolations(rafi), 'change set, published').toEqual([]);
    expect(git('log', '-1', '--format=%an|%s')).toBe('eda|CNOPS: the terms box, said more simply');
    expect(await rafi.locator('[data-revision]').textContent()).toBe(git('rev-parse', 'HEAD').slice(0, 12));
    // The report is handled: the guide's Arabic row counts no open report.
    await rafi.goto(`${server.origin}/editor/guides`);
    expect(await rafi.locator('[data-guide="cnops"] tr[data-language="ar"]').getAttribute('data-open')).toBe('0');
  }, 60_000);

  it('a French text published: the Arabic part says so, right to left, the French title isolated; the queue shows the difference; no axe violation', async () => {
    const lea = await signIn('lea', 'fr');
    await lea.goto(`${server.origin}/editor/guides/cnops/fr#text-steps-terms`);
    const box = lea.locator('#text-steps-terms textarea');
    await box.fill(`${await box.inputValue()} Lisez-les jusqu’au bout.`);
    await lea.locator('#text-steps-terms button[data-action="save"]').click();
    await lea.waitForURL('**/editor/guides/cnops/fr?saved=steps.terms#text-steps-terms');
    await lea.click('[data-draft] a');
    await lea.waitForURL(/\/editor\/changes\/\d+$/);
    await lea.fill('#summary', 'CNOPS : lire les conditions jusqu’au bout');
    await lea.click('button[data-action="submit"]');
    await lea.waitForLoadState();
    const rafi = await signIn('rafi', 'en');
    await rafi.goto(lea.url());
    await rafi.click('button[data-action="approve"]');
    await rafi.waitForSelector('button[data-action="publish"]');
    await rafi.click('button[data-action="publish"]');
    await rafi.waitForSelector('[data-status="published"]');

    const reader = await (await browser.newContext({ serviceWorkers: 'block', viewport: { width: 360, height: 740 } })).newPage();
    await reader.goto(`${server.origin}/ar/guides/cnops`);
    const line = reader.locator('#steps [data-outdated]');
    expect(await reader.locator('#steps').getAttribute('data-outdated-since')).toBe(new Date().toISOString().slice(0, 10));
    expect(await line.isVisible()).toBe(true);
    // The sentence reads right to left; the French title in it, left to right, on its own.
    expect(await line.evaluate((p) => getComputedStyle(p).direction)).toBe('rtl');
    const link = line.locator('bdi > a[hreflang="fr"]');
    expect(await link.evaluate((a) => [getComputedStyle(a).direction, getComputedStyle(a.parentElement!).unicodeBidi])).toEqual(['ltr', 'isolate']);
    expect(await axeViolations(reader), 'readers’ page with an outdated part').toEqual([]);
    await link.click();
    await reader.waitForURL('**/fr/guides/cnops#steps');

    const eda = await signIn('eda', 'en');
    await eda.goto(`${server.origin}/editor/translations/ar`);
    const item = eda.locator('[data-text="steps.terms"]');
    expect(await item.locator('.diff ins').first().textContent()).toContain('jusqu’au bout');
    expect(await item.locator('button[data-action="confirm"]').count()).toBe(1);
    expect(await axeViolations(eda), 'translations queue').toEqual([]);
  }, 60_000);

  it('a draft language: its page and its queue of texts not written yet, typed right to left; no axe violation', async () => {
    const rafi = await signIn('rafi', 'fr');
    await rafi.goto(`${server.origin}/editor/guides/cnops/prs`);
    expect(await rafi.locator('[data-draft-language="prs"]').isVisible()).toBe(true);
    const box = rafi.locator('#text-summary-box');
    expect(await box.evaluate((t) => [getComputedStyle(t).direction, (t as HTMLTextAreaElement).value])).toEqual(['rtl', '']);
    expect(await axeViolations(rafi), 'draft language page').toEqual([]);
    await rafi.goto(`${server.origin}/editor/translations/prs`);
    expect(await rafi.locator('[data-text="summary"] [data-missing]').isVisible()).toBe(true);
    expect(await axeViolations(rafi), 'queue with texts not written yet').toEqual([]);
  }, 60_000);

  it('the reference page’s fields of guide.yaml: the checked day as a date, a provider’s status as a choice; no axe violation', async () => {
    const rafi = await signIn('rafi', 'en');
    await rafi.goto(`${server.origin}/editor/guides/franceconnect/fr`);
    expect(await rafi.locator('[data-field="checked.date"] input[name="field.checked.date"]').getAttribute('type')).toBe('date');
    const status = rafi.locator('select[name="field.status.providers.idp.orange"]');
    expect(await status.inputValue()).toBe('withdrawn');
    expect(await rafi.locator('[data-field="status.providers.idp.orange"] input[name="source"]').count()).toBe(1);
    expect(await axeViolations(rafi), 'reference page with its fields').toEqual([]);
  }, 60_000);
});
