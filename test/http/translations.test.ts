import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fileTexts } from '../../src/editing/files.js';
import { loadSite } from '../../src/site.js';
import { addEditor } from '../../src/store/editors.js';
import { BASE_URL, editorSession, ROOT, testStore, contentRepository } from '../helpers.js';

/**
 * Translations that say when their reference changed, over HTTP on a copy of the content in a git
 * repository of its own: a French text published from the editors' area puts a dated line on that
 * part of the page in every other language (and on the handouts) and the text in each language's
 * queue with its difference; a translation published for it, or "Still correct", takes the line off.
 */
const dir = mkdtempSync(join(tmpdir(), 'dalil-translations-'));
const { content, git, create } = contentRepository(dir);
const PASSWORD = 'correct horse battery staple';
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
  create();
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
    // In every other language's queue too.
    const rafi = await session('rafi');
    for (const language of ['prs', 'ps', 'en']) expect((await rafi.get(`/editor/translations/${language}`)).text, language).toContain('data-text="login.site"');
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

describe('XLIFF 2.0 with professional translators', () => {
  const upload = async (name: string, xml: string) => {
    const who = await session(name);
    return request(app)
      .post('/editor/xliff')
      .set({ origin: BASE_URL })
      .set('cookie', who.cookie)
      .set('accept-language', 'en')
      .field('csrf', who.csrf)
      .attach('xliff', Buffer.from(xml), { filename: 'cnops-ar.xlf', contentType: 'application/xliff+xml' });
  };
  const sets = async () =>
    Number(
      (
        await store()
          .db.selectFrom('change_sets')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('export, import unchanged: no change set; one target changed in the file: a change set of that one text, reviewed, published, seen by readers', async () => {
    const eda = await session('eda');
    const exported = await eda.get('/editor/xliff/cnops/ar.xlf');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/xliff\+xml/);
    expect(exported.headers['content-disposition']).toContain('cnops-ar.xlf');
    const xml = exported.text;
    expect(xml).toMatch(/<xliff xmlns="urn:oasis:names:tc:xliff:document:2\.0" version="2\.0" srcLang="fr" trgLang="ar"><file id="cnops">/);
    expect(xml).toContain('<unit id="steps.terms">');
    expect(xml).toMatch(/<ph id="\d+" equiv="\{[a-z-]+\}" disp="\{[a-z-]+\}" canDelete="no"\/>/);

    const before = await sets();
    const same = await upload('eda', xml);
    expect(same.status).toBe(200);
    expect(same.text).toContain('Nothing in this file differs from the published texts');
    expect(await sets()).toBe(before);

    // The translator changes one target in the file, as a translation tool would.
    const unit = /<unit id="title">[\s\S]*?<target>([^<]*)<\/target>/.exec(xml)!;
    const NEW_TITLE = 'تفعيل حسابك على بوابة CNOPS';
    const changed = await upload('eda', xml.replace(unit[0], unit[0].replace(`<target>${unit[1]}</target>`, `<target>${NEW_TITLE}</target>`)));
    expect(changed.status).toBe(303);
    const id = /\/editor\/changes\/(\d+)$/.exec(changed.headers.location!)![1]!;
    const rows = await store().db.selectFrom('changes').selectAll().where('change_set_id', '=', Number(id)).execute();
    expect(rows.map((r) => [r.guide, r.language, r.text_id, r.value])).toEqual([['cnops', 'ar', 'title', NEW_TITLE]]);
    const set = await store().db.selectFrom('change_sets').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
    expect(set).toMatchObject({ author: 'eda', status: 'submitted' });
    expect((await request(app).get('/ar/guides/cnops')).text).not.toContain(NEW_TITLE);
    const rafi = await session('rafi');
    expect((await rafi.post(`/editor/changes/${id}`, { do: 'approve' })).status).toBe(303);
    expect((await rafi.post(`/editor/changes/${id}`, { do: 'publish' })).status).toBe(303);
    expect((await request(app).get('/ar/guides/cnops')).text).toContain(NEW_TITLE);
  });

  it('refuses, naming the unit, a target whose inline codes were removed; refuses a file with a DTD (XXE, billion laughs) and one over 500 KB; nothing is stored', async () => {
    const eda = await session('eda');
    const xml = (await eda.get('/editor/xliff/cnops/ar.xlf')).text;
    const before = await sets();
    const unit =
      /<unit id="(steps\.[a-z-]+)">(?:(?!<\/unit>)[\s\S])*?<target>((?:(?!<\/target>)[\s\S])*?<ph [^>]*\/>(?:(?!<\/target>)[\s\S])*?)<\/target>/.exec(xml)!;
    const stripped = await upload('eda', xml.replace(unit[2]!, unit[2]!.replace(/<ph [^>]*\/>/g, '')));
    expect(stripped.status).toBe(400);
    expect(stripped.text).toContain('This file was refused');
    expect(stripped.text).toMatch(new RegExp(`unit[^<]*${unit[1]!.replace('.', '\\.')}[^<]*inline codes`));

    const xxe = xml
      .replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
      .replace('<target>', '<target>&xxe;');
    const refusedXxe = await upload('eda', xxe);
    expect(refusedXxe.status).toBe(400);
    expect(refusedXxe.text).toContain('XLIFF files have no DTD');
    expect(refusedXxe.text).not.toContain('root:');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><xliff version="2.0" srcLang="fr" trgLang="ar"><file id="cnops"><unit id="title"><segment><source>x</source><target>&lol9;</target></segment></unit></file></xliff>`;
    const refusedLaughs = await upload('eda', laughs);
    expect(refusedLaughs.status).toBe(400);
    expect(refusedLaughs.text).toContain('XLIFF files have no DTD');
    const huge = await upload('eda', xml + ' '.repeat(600_000));
    expect(huge.status).toBe(413);
    expect(await sets()).toBe(before);
  });
});

describe('a draft language: texts not written yet', () => {
  // A Dari file of the CNOPS guide, with its title only: not in the guide's languages, so a draft.
  const draftFile = join(content, 'guides/cnops/prs.yaml');
  const TITLE = 'راهنمای حساب CNOPS';
  const SUMMARY = 'متن آزمایشی برای خلاصه';
  const UNIT_TEXT = 'متن آزمایشی دیگر';
  const units = (xml: string) => [...xml.matchAll(/<unit id="([^"]+)">([\s\S]*?)<\/unit>/g)];

  it('are counted on the dashboard and listed in the language’s queue; written from the form and from XLIFF, reviewed and published into the draft file; readers see nothing of it', async () => {
    writeFileSync(draftFile, `# Dari, being written.\ntitle: ${TITLE}\n`);
    await makeApp();
    const total = units((await (await session('rafi')).get('/editor/xliff/cnops/ar.xlf')).text).length;
    const nadia = await session('nadia');
    const board = await nadia.get('/editor/guides');
    const missing = Number(
      /<section class="editor-guide" aria-labelledby="guide-cnops"[\s\S]*?<tr data-language="prs"[^>]* data-missing="(\d+)">/.exec(board.text)![1],
    );
    expect(missing).toBeGreaterThan(10);
    // Nothing else of the guide's row changed: the published languages have no such count.
    expect(/<tr data-language="ar"[^>]*>/.exec(board.text.slice(board.text.indexOf('guide-cnops')))![0]).not.toContain('data-missing');

    const page = await nadia.get('/editor/guides/cnops/prs');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`data-draft-language="prs" data-missing="${missing}"`);
    expect(page.text).not.toContain('data-preview-link');
    const summaryBox = /<div class="editor-text" id="text-summary" data-text="summary">[\s\S]*?<\/form>/.exec(page.text)![0];
    expect(summaryBox).toContain('data-missing');
    expect(summaryBox).toMatch(/<textarea id="text-summary-box" name="text\.summary" lang="fa-AF" dir="rtl" rows="4"><\/textarea>/);
    const queue = await nadia.get('/editor/translations/prs');
    expect(
      queue.text.match(/<div class="editor-text" id="text-cnops-[^"]*" data-text="[^"]*">\s*(?:<span[^>]*><\/span>\s*)?<h3>[\s\S]*?data-missing/g)?.length,
    ).toBe(missing);
    expect(queue.text).toContain(`${missing} text(s) not written yet in a draft of a guide`);

    // Written in the form, reviewed and published.
    const before = readFileSync(draftFile, 'utf8');
    const translations = readFileSync(join(content, 'guides/cnops/translations.yaml'), 'utf8');
    const revision = (await request(app).get('/fr/offline.json')).body as { revisions: Record<string, string> };
    // Nothing records a draft's text as checked against the reference: the box is not offered, and refused.
    expect(summaryBox).not.toContain('name="reviewed"');
    expect((await nadia.post('/editor/guides/cnops/prs', { 'text.summary': SUMMARY, base: '', reviewed: '1' })).status).toBe(400);
    expect((await nadia.post('/editor/guides/cnops/prs', { 'text.summary': SUMMARY, base: '' })).status).toBe(303);
    await publishDraft('nadia', 'CNOPS : le résumé en dari');
    const after = readFileSync(draftFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(parse(after)).toEqual({ title: TITLE, summary: SUMMARY });
    expect(git('log', '-1', '--format=%an')).toBe('nadia');
    // No record in translations.yaml (it has no entry for a draft); the history names the language.
    expect(readFileSync(join(content, 'guides/cnops/translations.yaml'), 'utf8')).toBe(translations);
    expect((parse(readFileSync(join(content, 'guides/cnops/changes.yaml'), 'utf8')) as Array<{ languages: string[] }>)[0]!.languages).toEqual(['prs']);
    expect((await request(app).get('/prs/guides/cnops')).status).toBe(404);
    // Readers' pages did not change: a French copy kept offline is not told of a newer version.
    expect(((await request(app).get('/fr/offline.json')).body as typeof revision).revisions).toEqual(revision.revisions);
    expect((await nadia.get('/editor/guides')).text).toMatch(new RegExp(`<tr data-language="prs"[^>]* data-missing="${missing - 1}">`));

    // The texts still to do as XLIFF: no target; one translated in the file becomes a change set of that one text.
    const xml = (await nadia.get('/editor/xliff/cnops/prs.xlf?outdated=1')).text;
    expect(units(xml)).toHaveLength(missing - 1);
    expect(units(xml).every(([, , body]) => !body!.includes('<target'))).toBe(true);
    expect(units((await nadia.get('/editor/xliff/cnops/prs.xlf')).text)).toHaveLength(total);
    const [unit, id] = units(xml).find(([, , body]) => !body!.includes('<ph'))!;
    const translated = xml.replace(unit, unit.replace('</source>', `</source><target>${UNIT_TEXT}</target>`));
    const who = await session('nadia');
    const imported = await request(app)
      .post('/editor/xliff')
      .set({ origin: BASE_URL })
      .set('cookie', who.cookie)
      .field('csrf', who.csrf)
      .attach('xliff', Buffer.from(translated), { filename: 'cnops-prs.xlf', contentType: 'application/xliff+xml' });
    expect(imported.status).toBe(303);
    const set = Number(/\/editor\/changes\/(\d+)$/.exec(imported.headers.location!)![1]);
    const rows = await store().db.selectFrom('changes').selectAll().where('change_set_id', '=', set).execute();
    expect(rows.map((r) => [r.guide, r.language, r.text_id, r.base, r.value])).toEqual([['cnops', 'prs', id, '', UNIT_TEXT]]);
    const rafi = await session('rafi');
    expect((await rafi.post(`/editor/changes/${set}`, { do: 'approve' })).status).toBe(303);
    expect((await rafi.post(`/editor/changes/${set}`, { do: 'publish' })).status).toBe(303);
    expect(fileTexts(content, 'cnops', 'prs').get(id!)).toBe(UNIT_TEXT);
    expect((await nadia.get('/editor/guides/cnops/prs')).text).toContain(`data-missing="${missing - 2}"`);
  });
});
