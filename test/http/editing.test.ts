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
import { textHash } from '../../src/content/translations.js';
import { previewer } from '../../src/preview.js';
import { loadSite } from '../../src/site.js';
import { addEditor } from '../../src/store/editors.js';
import { addReport, addScreenAnswer } from '../../src/store/feedback.js';
import { BASE_URL, editorSession, ROOT, testStore, contentRepository } from '../helpers.js';

/**
 * The editing round over HTTP, on a copy of the content in a git repository of its own: an editor
 * saves drafts (kept as typed, checked as the content check checks), submits them, a second
 * account approves, a reviewer publishes (the YAML file changed in that text's lines only, a commit
 * by the author), and the readers' page shows the new text.
 */
const dir = mkdtempSync(join(tmpdir(), 'dalil-editing-'));
const { content, git, create } = contentRepository(dir);
const PASSWORD = 'correct horse battery staple';
const store = () => testStore();

let handler: (req: IncomingMessage, res: ServerResponse) => void;
let reloads = 0;
async function makeApp(env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, CONTENT_DIR: content, ...env });
  const site = await loadSite(ROOT, config.paths.content);
  handler = createApp({
    config,
    site,
    logger: pino({ level: 'silent' }),
    store: store(),
    preview: previewer({ config, root: ROOT, contentDir: site.contentDir }),
    reload: async () => {
      reloads += 1;
      await makeApp(env);
    },
  });
}
// Requests go to the app of the moment: a publish replaces it.
const app = (req: IncomingMessage, res: ServerResponse) => handler(req, res);

beforeAll(async () => {
  create();
  await makeApp();
  expect(await store().available()).toBe(true);
  await addEditor(store(), 'eda', PASSWORD, { role: 'editor', languages: ['ar'] });
  await addEditor(store(), 'rafi', PASSWORD, { role: 'reviewer', languages: [] });
  await addEditor(store(), 'rima', PASSWORD, { role: 'reviewer', languages: ['ar'] });
  await addReport(store(), { guide: 'cnops', step: 2, tool: null, language: 'ar', kind: 'screen-different', comment: 'الزر تغيّر', release: 'r1' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const session = (name: string) => editorSession(app, name, PASSWORD);

const TERMS = 'steps.terms';
const file = join(content, 'guides', 'cnops', 'ar.yaml');
const published = () => readFileSync(file, 'utf8');
const textBox = (html: string, id: string) => new RegExp(`<textarea id="[^"]+" name="text\\.${id.replace('.', '\\.')}"[^>]*>([^<]*)</textarea>`).exec(html);

describe('previews', () => {
  it('one at a time, four in line: past that refused at once, never queued without bound', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, CONTENT_DIR: content });
    const preview = previewer({ config, root: ROOT, contentDir: content });
    const results = await Promise.all(Array.from({ length: 8 }, () => preview([], '/fr/', { date: '2026-12-06', summary: '', language: '', author: 'eda' })));
    expect(results.map((r) => ('busy' in r ? 'busy' : 'status' in r ? r.status : 'issues'))).toEqual([200, 200, 200, 200, 200, 'busy', 'busy', 'busy']);
  });
});

describe('editing a guide', () => {
  it('shows a guide’s texts in the file’s order, typed right-to-left, the French beside, the open reports and screen answers of the step; the dashboard links a report to them', async () => {
    const eda = await session('eda');
    // Screens of step 2 answered in Arabic: two "No" from two places, one "Yes"; one "No" in French, one 40 days ago.
    const screen = { guide: 'cnops', step: 2, screen: 'terms', release: 'r1' };
    await addScreenAnswer(store(), { ...screen, language: 'ar', answer: 'no', source: 'a' });
    await addScreenAnswer(store(), { ...screen, language: 'ar', answer: 'no', source: 'b' });
    await addScreenAnswer(store(), { ...screen, language: 'ar', answer: 'yes', source: 'b' });
    await addScreenAnswer(store(), { ...screen, language: 'fr', answer: 'no', source: 'c' });
    await addScreenAnswer(store(), { ...screen, language: 'ar', answer: 'no', source: 'd' }, new Date(Date.now() - 40 * 86_400_000));
    const page = await eda.get('/editor/guides/cnops/ar');
    expect(page.status).toBe(200);
    const ids = [...page.text.matchAll(/<div class="editor-text[^"]*" id="[^"]+" data-text="([^"]+)">/g)].map((m) => m[1]);
    expect(ids.slice(0, 4)).toEqual(['title', 'summary', 'checked.source', 'before.title']);
    expect(ids).toContain(TERMS);
    expect(page.text).toMatch(/<textarea id="text-steps-terms-box" name="text\.steps\.terms" lang="ar" dir="rtl" rows="4">/);
    const terms = /<div class="editor-text" id="text-steps-terms" data-text="steps\.terms">([\s\S]*?)<\/form>/.exec(page.text)![1]!;
    expect(terms).toContain('<span id="step-2"></span>');
    expect(terms).toMatch(/<span lang="fr" dir="ltr">Le premier écran explique que le site doit d’abord vérifier votre identité\. \*\*Vos réponses/);
    expect(terms).toContain('data-reports="1"');
    expect(terms).toContain(
      '<p class="editor-text__screens" data-screens-no="2" data-screens-yes="1">“Does your screen look like this?” on this step, last 30 days: 2 “No”, 1 “Yes”, from 2 source(s).</p>',
    );
    // No answer on step 1: nothing said.
    expect(/<div class="editor-text" id="text-summary"[\s\S]*?<\/form>/.exec(page.text)![0]).not.toContain('editor-text__screens');
    expect(terms).toContain('الزر تغيّر');
    const board = await eda.get('/editor/');
    expect(board.text).toContain('href="/editor/guides/cnops/ar#step-2"');
    // Without a draft, the preview is the readers' page byte for byte, but for its banner.
    for (const path of ['/ar/guides/cnops', '/ar/guides/cnops/print', '/prs/tools/identity-provider']) {
      const [preview, live] = await Promise.all([eda.get(`/editor/preview${path}`), request(app).get(path)]);
      expect(preview.status, path).toBe(live.status);
      expect(preview.text.replace(/<aside class="preview-banner"[\s\S]*?<\/aside>/, ''), path).toBe(live.text);
    }
  });

  it('keeps a draft as typed, shows the content check’s problem beside its box, and refuses to submit it until it is fixed', async () => {
    const eda = await session('eda');
    const broken = 'اضغط [هنا](https://evil.example/) ثم {continue}.';
    const saved = await eda.post('/editor/guides/cnops/ar', { [`text.${TERMS}`]: broken });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/editor/guides/cnops/ar?saved=steps.terms#text-steps-terms');
    const page = await eda.get('/editor/guides/cnops/ar');
    expect(textBox(page.text, TERMS)![1]).toBe(broken.replace(/"/g, '&quot;'));
    expect(page.text).toMatch(/<ul class="editor-text__problems" id="text-steps-terms-problems" role="alert"><li>[^<]*evil\.example[^<]*<\/li>/);
    expect(page.text).toContain('aria-invalid="true"');
    // Nothing is published yet.
    expect(published()).not.toContain('evil.example');
    const set = /href="(\/editor\/changes\/(\d+))"/.exec(page.text)!;
    const refused = await eda.post(set[1]!, { do: 'submit', summary: 'Le bouton a changé' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('The content check finds problems');

    const broken_preview = await eda.get('/editor/preview/ar/guides/cnops');
    expect(broken_preview.status).toBe(409);
    expect(broken_preview.text).toContain('evil.example');
    // Named as the content check of the content folder names it, not as the copy the preview made.
    expect(broken_preview.text).toMatch(/guides\/cnops\/ar\.yaml: steps\.terms: /);
    expect(broken_preview.text).not.toContain('dalil-content-');

    const fixed = 'اقرأ الشروط، وضع علامة في الخانة {accept-box}، ثم اضغط على {continue}.';
    expect((await eda.post('/editor/guides/cnops/ar', { [`text.${TERMS}`]: fixed })).status).toBe(303);
    // The preview: the readers' page with the draft, a banner, never cached; readers still get the published page.
    const preview = await eda.get('/editor/preview/ar/guides/cnops');
    expect(preview.status).toBe(200);
    expect(preview.headers['cache-control']).toBe('no-store');
    expect(preview.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(preview.text).toMatch(/<body[^>]*><aside class="preview-banner" aria-label="Preview" lang="en" dir="ltr" data-preview="\d+">/);
    expect(preview.text).toContain('اقرأ الشروط، وضع علامة في الخانة');
    const live = await request(app).get('/ar/guides/cnops');
    expect(live.text).not.toContain('اقرأ الشروط');
    expect(preview.headers['content-security-policy']).toBe(live.headers['content-security-policy']);
    const review = await eda.get(set[1]!);
    expect(review.text).not.toContain('role="alert"');
    expect(review.text).toMatch(/<td><ins lang="ar" dir="rtl">اقرأ الشروط/);
    const submitted = await eda.post(set[1]!, { do: 'submit', summary: 'CNOPS : la case des conditions, dite plus simplement', summary_language: 'fr' });
    expect(submitted.status).toBe(303);
    const row = await store().db.selectFrom('change_sets').selectAll().where('id', '=', Number(set[2])).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'submitted', author: 'eda', summary: 'CNOPS : la case des conditions, dite plus simplement' });
  });

  it('an account writes only in its languages; a reviewer cannot approve their own change; another approves; it is published, readers see it, and the step’s reports in that language are marked handled', async () => {
    const eda = await session('eda');
    const refused = await eda.post('/editor/guides/franceconnect/prs', { 'text.title': 'عنوان' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Your account does not write in this language. Nothing was saved');

    const [set] = await store().db.selectFrom('change_sets').select('id').where('status', '=', 'submitted').execute();
    const path = `/editor/changes/${set!.id}`;
    expect((await eda.post(path, { do: 'approve' })).status).toBe(403);
    const rafi = await session('rafi');
    expect((await rafi.post(path, { do: 'approve' })).status).toBe(303);
    expect((await store().db.selectFrom('change_sets').select('status').where('id', '=', set!.id).executeTakeFirstOrThrow()).status).toBe('approved');

    const before = published();
    const reader = await request(app).get('/ar/guides/cnops');
    expect(reader.text).not.toContain('اقرأ الشروط، وضع علامة في الخانة');
    // The reports that led to it: the step's open report in Arabic, offered to be marked handled with the publish;
    // a report on the same step in English, and one on another step, are not about this change.
    await addReport(store(), { guide: 'cnops', step: 2, tool: null, language: 'en', kind: 'unclear', comment: 'other language', release: 'r1' });
    await addReport(store(), { guide: 'cnops', step: 3, tool: null, language: 'ar', kind: 'unclear', comment: 'other step', release: 'r1' });
    const approved = await rafi.get(path);
    expect(approved.text).toMatch(
      /<p data-open-reports="1"><input type="checkbox" id="handled" name="handled" value="1"> <label for="handled">Also mark handled the 1 open report/,
    );
    const done = await rafi.post(path, { do: 'publish', handled: '1' });
    expect(done.status).toBe(303);
    expect(reloads).toBe(1);
    const reports = await store().db.selectFrom('reports').select(['step', 'language', 'handled_by']).where('guide', '=', 'cnops').orderBy('id').execute();
    expect(reports).toEqual([
      { step: 2, language: 'ar', handled_by: 'rafi' },
      { step: 2, language: 'en', handled_by: null },
      { step: 3, language: 'ar', handled_by: null },
    ]);

    // Only the text's lines changed, in one file, committed by its author with the summary.
    const old = before.split('\n');
    const now = published().split('\n');
    const first = old.findIndex((l, i) => l !== now[i]);
    const fromEnd = [...old].reverse().findIndex((l, i) => l !== now[now.length - 1 - i]);
    expect(old.slice(first, old.length - fromEnd).join('\n')).toMatch(/^ {2}terms: >-/);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('log', '-1', '--format=%an <%ae>|%s')).toBe('eda <eda@editors.dalil.invalid>|CNOPS : la case des conditions, dite plus simplement');
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n')).toEqual([
      'guides/cnops/ar.yaml',
      'guides/cnops/changes.yaml',
      'guides/cnops/translations.yaml',
    ]);
    // The translation's own record: written by its author today, against the French text of today; no other line moves.
    const records = git('show', '--format=', '-U0', 'HEAD', '--', 'guides/cnops/translations.yaml')
      .split('\n')
      .filter((l) => /^[-+] /.test(l));
    const french = textHash((parse(readFileSync(join(content, 'guides', 'cnops', 'fr.yaml'), 'utf8')) as { steps: { terms: string } }).steps.terms);
    expect(records).toEqual([
      expect.stringMatching(/^- {4}steps\.terms: /),
      `+    steps.terms: {hash: ${french}, status: translated, by: eda, date: ${new Date().toISOString().slice(0, 10)}}`,
    ]);
    // The guide's history, in the content: the day, the language and text changed, the line in its language.
    const today = new Date().toISOString().slice(0, 10);
    expect(readFileSync(join(content, 'guides', 'cnops', 'changes.yaml'), 'utf8')).toContain(
      `- date: ${today}\n  languages:\n    - ar\n  texts:\n    - steps.terms\n  summary:\n    fr: "CNOPS : la case des conditions, dite plus simplement"\n`,
    );
    const row = await store().db.selectFrom('change_sets').selectAll().where('id', '=', set!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'published', published_by: 'rafi', revision: git('rev-parse', 'HEAD') });

    const after = await request(app).get('/ar/guides/cnops');
    expect(after.status).toBe(200);
    expect(after.text).toContain('اقرأ الشروط، وضع علامة في الخانة');
    // Arabic readers see what changed, in Arabic: the day and the part of the page (the French line is for French readers).
    const history = /<ul class="about__history">([\s\S]*?)<\/ul>/.exec(after.text)![1]!;
    expect(history).toMatch(new RegExp(`<li data-changed="${today}"><time datetime="${today}">[^<]+</time> — فعّل حسابك، خطوة بخطوة</li>`));
    expect((await request(app).get('/fr/guides/cnops')).text).not.toContain('about__history');
    const actions = await store()
      .db.selectFrom('audit')
      .select(['account', 'action'])
      .where('action', 'in', ['save', 'submit', 'approve', 'publish', 'handle'])
      .orderBy('id')
      .execute();
    expect(actions.map((a) => `${a.account} ${a.action}`)).toEqual(['eda save', 'eda save', 'eda submit', 'rafi approve', 'rafi publish', 'rafi handle']);
  });

  it('a text published meanwhile is a conflict: the draft shows it and cannot be submitted; a publish while another runs is refused, nothing written', async () => {
    const rima = await session('rima');
    const before = /^title: (.*)$/m.exec(published())![1]!;
    expect((await rima.post('/editor/guides/cnops/ar', { 'text.title': 'عنوان جديد للدليل', base: before })).status).toBe(303);
    // A developer's commit changes the same text.
    writeFileSync(file, published().replace(/^title: .*$/m, 'title: عنوان آخر'));
    const page = await rima.get('/editor/guides/cnops/ar');
    expect(/<div class="editor-text editor-text--changed" id="text-title"[\s\S]*?<\/form>/.exec(page.text)![0]).toContain('data-conflict');
    const set = /href="(\/editor\/changes\/(\d+))"/.exec(page.text)!;
    const refused = await rima.post(set[1]!, { do: 'submit', summary: 'Un titre plus court' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('A published text changed since this draft started from it');
    expect(refused.text).toMatch(/data-conflict>[^<]*<span lang="ar" dir="rtl">عنوان آخر<\/span>/);

    // Saved again from the page that shows the text of today, it goes through; a publish while the lock is held does not.
    expect((await rima.post('/editor/guides/cnops/ar', { 'text.title': 'عنوان جديد للدليل', base: 'عنوان آخر' })).status).toBe(303);
    expect((await rima.post(set[1]!, { do: 'submit', summary: 'Un titre plus court' })).status).toBe(303);
    const rafi = await session('rafi');
    expect((await rafi.post(set[1]!, { do: 'approve' })).status).toBe(303);
    await store()
      .db.insertInto('settings')
      .values({ name: 'publish-lock', value: `${Date.now() + 60_000} another-machine 4242 0123` })
      .execute();
    const busy = await rafi.post(set[1]!, { do: 'publish' });
    expect(busy.status).toBe(409);
    expect(busy.text).toContain('Another publish is running');
    expect(published()).toMatch(/^title: عنوان آخر$/m);
    await store().db.deleteFrom('settings').where('name', '=', 'publish-lock').execute();
    expect((await rafi.post(set[1]!, { do: 'publish' })).status).toBe(303);
    expect(published()).toMatch(/^title: عنوان جديد للدليل$/m);

    // Revert: a new draft putting back the title before, reviewed like any other.
    const reverted = await rima.post(set[1]!, { do: 'revert' });
    expect(reverted.status).toBe(303);
    const draft = await rima.get(reverted.headers.location!);
    expect(draft.text).toMatch(/<td><del lang="ar" dir="rtl">عنوان جديد للدليل<\/del><\/td>\s*<td><ins lang="ar" dir="rtl">عنوان آخر<\/ins><\/td>/);
    expect(draft.text).toContain('data-action="submit"');
    expect(published()).toMatch(/^title: عنوان جديد للدليل$/m);
  });

  it('a fact of guide.yaml (a label of the site) is changed on the reference page, only with where and when it was checked; readers of every language get it', async () => {
    const rafi = await session('rafi');
    const fr = await rafi.get('/editor/guides/cnops/fr');
    expect(fr.text).toMatch(/<input id="text-facts-continue-box" name="fact\.continue" value="Continuer" lang="fr" dir="ltr">/);
    const ar = await rafi.get('/editor/guides/cnops/ar');
    expect(ar.text).not.toContain('name="fact.');
    expect(ar.text).toContain('href="/editor/guides/cnops/fr">Français</a>');

    expect((await rafi.post('/editor/guides/cnops/fr', { 'fact.continue': 'Suivant', base: 'Continuer' })).status).toBe(303);
    const unsourced = await rafi.get('/editor/guides/cnops/fr');
    expect(/<div class="editor-text editor-text--changed" id="text-facts-continue"[\s\S]*?<\/form>/.exec(unsourced.text)![0]).toContain(
      'a changed fact needs where it was checked (its source) and the day',
    );
    const set = /href="(\/editor\/changes\/(\d+))"/.exec(unsourced.text)!;
    expect((await rafi.post(set[1]!, { do: 'submit', summary: 'Bouton renommé' })).status).toBe(409);

    const checked = { 'fact.continue': 'Suivant', base: 'Continuer', source: 'https://www.cnops.org.ma/mon_compte', date: '2026-12-05' };
    expect((await rafi.post('/editor/guides/cnops/fr', checked)).status).toBe(303);
    expect((await rafi.post(set[1]!, { do: 'submit', summary: 'Le bouton « Continuer » s’appelle « Suivant »', summary_language: 'fr' })).status).toBe(303);
    const review = await (await session('rima')).get(set[1]!);
    expect(review.text).toContain('Checked on 2026-12-05: https://www.cnops.org.ma/mon_compte');
    expect((await (await session('rima')).post(set[1]!, { do: 'approve' })).status).toBe(303);
    const before = readFileSync(join(content, 'guides', 'cnops', 'guide.yaml'), 'utf8').split('\n');
    expect((await rafi.post(set[1]!, { do: 'publish' })).status).toBe(303);
    const after = readFileSync(join(content, 'guides', 'cnops', 'guide.yaml'), 'utf8').split('\n');
    expect(after.filter((l, n) => l !== before[n])).toEqual([
      '  continue: { kind: ui, value: "Suivant", source: "https://www.cnops.org.ma/mon_compte", date: "2026-12-05" }',
    ]);
    for (const language of ['fr', 'ar', 'en']) {
      const page = await request(app).get(`/${language}/guides/cnops`);
      // The steps name the button by the fact (the screen pictures keep their own copy of the screen).
      expect(page.text, language).toContain('Suivant');
    }
    // Arabic readers are told a name, number or address of the site changed.
    expect((await request(app).get('/ar/guides/cnops')).text).toMatch(
      /<li data-changed="[\d-]+"><time [^>]+>[^<]+<\/time> — اسم زر أو رقم أو عنوان في الموقع<\/li>/,
    );
  });

  it('the history: every publish newest first, who wrote and who published it, each text or fact before and after', async () => {
    const history = await (await session('eda')).get('/editor/history');
    expect(history.status).toBe(200);
    const sets = [...history.text.matchAll(/<section class="editor-guide" aria-labelledby="set-(\d+)" data-published="\d+">([\s\S]*?)<\/section>/g)];
    const published = await store()
      .db.selectFrom('change_sets')
      .select('id')
      .where('status', '=', 'published')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(sets.map((m) => Number(m[1]))).toEqual(published.map((p) => p.id));
    expect(sets[0]![2]).toContain('<del lang="fr" dir="ltr">Continuer</del>');
    expect(sets[0]![2]).toContain('<ins lang="fr" dir="ltr">Suivant</ins>');
    expect(sets[0]![2]).toMatch(/par rafi|by rafi/);
    expect(sets.at(-1)![2]).toContain('<ins lang="ar" dir="rtl">اقرأ الشروط، وضع علامة في الخانة {accept-box}، ثم اضغط على {continue}.</ins>');
  });

  it('the guide’s checked day, its review period and a withdrawn or new item’s status are changed on the reference page, the status only with where and when it was checked', async () => {
    const rafi = await session('rafi');
    const page = await rafi.get('/editor/guides/franceconnect/fr');
    const value = (name: string) => new RegExp(`name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(page.text)![1]!;
    const checkedDay = value('field.checked.date');
    expect(checkedDay).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(value('field.review.every')).toBe('6 months');
    // A withdrawn or new item's status (withdrawn ↔ new); an item as in the leaflet has none to change here.
    const orange = /<select id="text-status-providers-idp-orange-box" name="field\.status\.providers\.idp\.orange">([\s\S]*?)<\/select>/.exec(page.text)![1]!;
    expect([...orange.matchAll(/<option value="(\w+)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ?? ''}`)).toEqual(['withdrawn selected', 'new']);
    expect(page.text).not.toContain('status.providers.idp.laposte');

    const save = (fields: Record<string, string>) => rafi.post('/editor/guides/franceconnect/fr', fields);
    expect((await save({ 'field.checked.date': '2026-12-05', base: checkedDay })).status).toBe(303);
    expect((await save({ 'field.review.every': '3 months', base: '6 months' })).status).toBe(303);
    expect((await save({ 'field.status.providers.idp.orange': 'new', base: 'withdrawn' })).status).toBe(303);
    const unsourced = await rafi.get('/editor/guides/franceconnect/fr');
    expect(/<div class="editor-text editor-text--changed" id="text-status-providers-idp-orange"[\s\S]*?<\/form>/.exec(unsourced.text)![0]).toContain(
      'a changed fact needs where it was checked (its source) and the day',
    );
    const source = 'https://franceconnect.gouv.fr/';
    expect((await save({ 'field.status.providers.idp.orange': 'new', base: 'withdrawn', source, date: '2026-12-05' })).status).toBe(303);
    const set = /href="(\/editor\/changes\/(\d+))"/.exec((await rafi.get('/editor/guides/franceconnect/fr')).text)!;
    expect((await rafi.post(set[1]!, { do: 'submit', summary: 'FranceConnect vérifié à nouveau', summary_language: 'fr' })).status).toBe(303);
    expect((await (await session('rima')).post(set[1]!, { do: 'approve' })).status).toBe(303);
    const file = join(content, 'guides', 'franceconnect', 'guide.yaml');
    const before = readFileSync(file, 'utf8').split('\n');
    expect((await rafi.post(set[1]!, { do: 'publish' })).status).toBe(303);

    // Only those lines changed; the file reads back with them.
    const after = readFileSync(file, 'utf8').split('\n');
    expect(after).toHaveLength(before.length);
    expect(after.filter((l, n) => l !== before[n])).toHaveLength(5);
    const g = parse(after.join('\n')) as {
      checked: { date: string };
      review: { every: string };
      sections: Array<{ blocks: Array<{ id?: string; items?: Array<{ key: string }> }> }>;
    };
    expect(g.checked.date).toBe('2026-12-05');
    expect(g.review.every).toBe('3 months');
    const item = g.sections
      .flatMap((x) => x.blocks)
      .find((b) => b.id === 'providers.idp')!
      .items!.find((i) => i.key === 'orange');
    expect(item).toMatchObject({ status: 'new', date: '2026-12-05', source });
    // Readers: the card's new status; "What changed" names the providers' part (the checked day and period are said on the page itself).
    for (const language of ['fr', 'ar']) {
      const reader = (await request(app).get(`/${language}/guides/franceconnect`)).text;
      expect(reader, language).toMatch(/<article class="card card--new" id="[^"]+" data-key="orange" data-status="new"/);
      const history = /<ul class="about__history">([\s\S]*?)<\/ul>/.exec(reader)![1]!;
      expect(history.match(/<li /g), language).toHaveLength(1);
    }
    const fr = /<ul class="about__history">([\s\S]*?)<\/ul>/.exec((await request(app).get('/fr/guides/franceconnect')).text)![1]!;
    // The part's title ends with its question mark: the summary follows without a second full stop.
    expect(fr).toMatch(/— Quel fournisseur d’identité pouvez-vous choisir\u00a0\? FranceConnect vérifié à nouveau<\/li>/);
  });
});
