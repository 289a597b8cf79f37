import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadSite } from '../../src/site.js';
import { addEditor } from '../../src/store/editors.js';
import { BASE_URL, editorSession, ROOT, testStore } from '../helpers.js';

/**
 * Translations that say when their reference changed, over HTTP on a copy of the content in a git
 * repository of its own: a French text published from the editors' area puts a dated line on that
 * part of the page in every other language (and on the handouts) and the text in each language's
 * queue with its difference; a translation published for it, or "Still correct", takes the line off.
 */
const dir = mkdtempSync(join(tmpdir(), 'dalil-translations-'));
const content = join(dir, 'content');
const PASSWORD = 'correct horse battery staple';
const git = (...args: string[]) => execFileSync('git', args, { cwd: content, encoding: 'utf8' }).trim();
const store = () => testStore();
const today = new Date().toISOString().slice(0, 10);
/** A published text of the test content, and a language's records in its translations.yaml. */
const publishedText = (language: string, section: string, key: string) =>
  (parse(readFileSync(join(content, `guides/franceconnect/${language}.yaml`), 'utf8')) as Record<string, Record<string, string>>)[section]![key]!;
const record = (language: string, id: string) =>
  (parse(readFileSync(join(content, 'guides/franceconnect/translations.yaml'), 'utf8')) as Record<string, { texts: Record<string, unknown> }>)[language]!.texts[
    id
  ];

let handler: (req: IncomingMessage, res: ServerResponse) => void;
async function makeApp() {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, CONTENT_DIR: content });
  const site = await loadSite(ROOT, config.paths.content);
  handler = createApp({ config, site, logger: pino({ level: 'silent' }), store: store(), reload: makeApp });
}
const app = (req: IncomingMessage, res: ServerResponse) => handler(req, res);
const session = (name: string) => editorSession(app, name, PASSWORD);

beforeAll(async () => {
  cpSync(join(ROOT, 'content'), content, { recursive: true });
  git('init', '--quiet');
  git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'add', '.');
  git('-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'commit', '--quiet', '-m', 'The content as it is');
  await makeApp();
  expect(await store().available()).toBe(true);
  await addEditor(store(), 'lea', PASSWORD, { role: 'editor', languages: ['fr'] });
  await addEditor(store(), 'eda', PASSWORD, { role: 'editor', languages: ['ar'] });
  await addEditor(store(), 'nadia', PASSWORD, { role: 'editor', languages: ['prs'] });
  await addEditor(store(), 'rafi', PASSWORD, { role: 'reviewer', languages: [] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Submits the author's draft with a summary; another account approves it; a reviewer publishes it. */
async function publishDraft(author: string, summary: string) {
  const who = await session(author);
  const board = await who.get('/editor/guides/franceconnect/fr');
  const set = /<a href="\/editor\/changes\/(\d+)">/.exec(/data-draft[\s\S]*?<\/p>/.exec(board.text)![0])![1]!;
  expect((await who.post(`/editor/changes/${set}`, { do: 'submit', summary, summary_language: 'fr' })).status).toBe(303);
  const rafi = await session('rafi');
  expect((await rafi.post(`/editor/changes/${set}`, { do: 'approve' })).status).toBe(303);
  expect((await rafi.post(`/editor/changes/${set}`, { do: 'publish' })).status).toBe(303);
  return set;
}

/** The part of a readers' page about a section: its element's opening tag and its outdated line, if any. */
const section = (html: string, id: string) => {
  const open = new RegExp(`<section class="guide-section" id="${id}"[^>]*>`).exec(html)![0];
  const line = new RegExp(
    `<section class="guide-section" id="${id}"[\\s\\S]*?</h2>\\s*(<p class="callout callout--warning outdated" data-outdated>[\\s\\S]*?</p>)?`,
  ).exec(html)![1];
  return { open, line };
};
const NEW_FRENCH = 'Ouvrez le site officiel de l’administration où se trouve votre démarche.';

describe('translations that say when their reference changed', () => {
  it('a French text published: a dated line on that part in ar, prs, ps and en (and their handouts), linked to the French part; nothing on the French page', async () => {
    const fresh = await request(app).get('/ar/guides/franceconnect');
    expect(fresh.text).not.toContain('data-outdated');
    const lea = await session('lea');
    const saved = await lea.post('/editor/guides/franceconnect/fr', {
      'text.login.site': NEW_FRENCH,
      base: 'Allez sur le site administratif où se trouve votre démarche.',
    });
    expect(saved.status).toBe(303);
    await publishDraft('lea', 'FranceConnect : le site officiel, dit plus clairement');
    for (const language of ['ar', 'prs', 'ps', 'en']) {
      for (const path of [`/${language}/guides/franceconnect`, `/${language}/guides/franceconnect/print`]) {
        const page = await request(app).get(path);
        expect(page.status, path).toBe(200);
        const login = section(page.text, 'login');
        expect(login.open, path).toContain(`data-outdated-since="${today}"`);
        expect(login.line, path).toContain('href="/fr/guides/franceconnect#login" hreflang="fr" lang="fr" dir="ltr"');
        // Right to left: the French title of the part is isolated from the sentence around it.
        expect(login.line!.includes('<bdi><a href='), path).toBe(language !== 'en');
        // Only the part whose text changed.
        expect(section(page.text, 'providers').open, path).not.toContain('data-outdated');
      }
    }
    expect((await request(app).get('/en/guides/franceconnect')).text).toContain('The French text of this part changed on');
    expect((await request(app).get('/fr/guides/franceconnect')).text).not.toContain('data-outdated');
  });

  it('the text is in each language’s queue with the French difference; the dashboard counts it; a translation published takes the line off', async () => {
    const eda = await session('eda');
    const queue = await eda.get('/editor/translations/ar');
    expect(queue.status).toBe(200);
    expect(queue.text).toContain('data-queue="1"');
    const item = /<div class="editor-text" id="text-franceconnect-login-site" data-text="login\.site">[\s\S]*?<\/form>/.exec(queue.text)![0];
    expect(item).toContain(`data-outdated-since="${today}"`);
    // Word by word: what was taken out of the French text and what was put in, the rest as it was.
    const diff = /<p class="diff" lang="fr" dir="ltr">([\s\S]*?)<\/p>/.exec(item)![1]!;
    expect(diff.replace(/<ins>[^<]*<\/ins>/g, '').replace(/<\/?(del|span)>/g, '')).toBe('Allez sur le site administratif où se trouve votre démarche.');
    expect(
      diff
        .replace(/<del>[^<]*<\/del>/g, '')
        .replace(/<\/?(ins|span)>/g, '')
        .replace(/&rsquo;|&#39;/g, '’'),
    ).toBe(NEW_FRENCH);
    expect(diff).toContain('<span>le site </span>');
    expect(item).toContain('data-action="confirm"');
    const board = await eda.get('/editor/guides');
    expect(board.text).toMatch(/<tr data-language="ar" data-open="\d+" data-no="\d+" data-changed="1">/);

    const arabic = 'افتح الموقع الرسمي للإدارة التي توجد فيها معاملتك.';
    const base = publishedText('ar', 'login', 'site');
    expect((await eda.post('/editor/guides/franceconnect/ar', { 'text.login.site': arabic, base, from: 'translations' })).headers.location).toBe(
      '/editor/translations/ar?saved=login.site#text-franceconnect-login-site',
    );
    await publishDraft('eda', 'FranceConnect : le site officiel, en arabe');
    const ar = await request(app).get('/ar/guides/franceconnect');
    expect(section(ar.text, 'login').open).not.toContain('data-outdated');
    expect(ar.text).toContain(arabic);
    // Still outdated in Dari: its translation was not touched.
    expect(section((await request(app).get('/prs/guides/franceconnect')).text, 'login').open).toContain('data-outdated-since');
    expect((await eda.get('/editor/translations/ar')).text).toContain('data-queue="0"');
    expect(record('ar', 'login.site')).toMatchObject({ status: 'translated', by: 'eda', date: today });
  });

  it('“Still correct” keeps the text and records it against the new French text, reviewed like any change; “checked” only by an account that reads the language', async () => {
    const rafi = await session('rafi');
    const base = publishedText('prs', 'login', 'site');
    // rafi's account lists no language: it cannot say a Dari text was checked.
    const refused = await rafi.post('/editor/guides/franceconnect/prs', { confirm: 'login.site', base, reviewed: '1' });
    expect(refused.status).toBe(403);
    const nadia = await session('nadia');
    const before = readFileSync(join(content, 'guides/franceconnect/prs.yaml'), 'utf8');
    expect((await nadia.post('/editor/guides/franceconnect/prs', { confirm: 'login.site', 'text.login.site': 'ignored', base })).status).toBe(303);
    expect((await nadia.get('/editor/translations/prs')).text).toContain('data-mark="confirmed"');
    await publishDraft('nadia', 'FranceConnect : le texte dari reste juste');
    expect(readFileSync(join(content, 'guides/franceconnect/prs.yaml'), 'utf8')).toBe(before);
    expect(section((await request(app).get('/prs/guides/franceconnect')).text, 'login').open).not.toContain('data-outdated');
    expect(record('prs', 'login.site')).toMatchObject({ status: 'confirmed', by: 'nadia', date: today });
    expect(git('log', '-1', '--format=%an')).toBe('nadia');
  });
});
