import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { addEditor } from '../../src/store/editors.js';
import { addReport, addScreenAnswer } from '../../src/store/feedback.js';
import { guidesView } from '../../src/view-models/editor.js';
import { BASE_URL, realSite, testStore } from '../helpers.js';

let app: Express;
const ORIGIN = { origin: BASE_URL };
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL });
  // A day past the FranceConnect guide's review date: the dashboard lists it.
  const { catalogue } = await realSite();
  const due = catalogue.get('franceconnect')!.reviewDue;
  app = createApp({ config, site: await realSite(), logger: pino({ level: 'silent' }), store: testStore(), clock: () => new Date(`${due}T10:00:00Z`) });
  expect(await testStore().available()).toBe(true);
  await addEditor(testStore(), 'amina', PASSWORD);
  await addEditor(testStore(), 'locked', PASSWORD);
  for (const comment of ['Le bouton a changé', '=HYPERLINK("http://evil")', 'dit "oui", puis\nnon']) {
    await addReport(testStore(), { guide: 'cnops', step: 3, tool: null, language: 'fr', kind: 'screen-different', comment, release: 'r1' });
  }
  await addReport(testStore(), { guide: 'franceconnect', step: 2, tool: null, language: 'ar', kind: 'step-wrong', comment: 'الزر تغيّر', release: 'r1' });
  for (const answer of ['no', 'no', 'yes'] as const)
    await addScreenAnswer(testStore(), { guide: 'cnops', step: 3, screen: 'identify-employer', language: 'fr', answer, release: 'r1' });
});

/** The sign-in form's CSRF token, read from the form as a browser would. */
async function signInToken() {
  const form = await request(app).get('/editor/sign-in');
  return /name="csrf" value="([^"]+)"/.exec(form.text)![1]!;
}

async function signIn(name = 'amina', password = PASSWORD, headers: Record<string, string> = ORIGIN) {
  return request(app)
    .post('/editor/sign-in')
    .set(headers)
    .type('form')
    .send(new URLSearchParams({ name, password, csrf: await signInToken() }).toString());
}

async function session() {
  const res = await signIn();
  expect(res.status).toBe(303);
  const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
  const board = await request(app).get('/editor/').set('cookie', cookie);
  const csrf = /name="csrf" value="([^"]+)"/.exec(board.text)![1]!;
  return { cookie, csrf, board };
}

describe('the editors’ area', () => {
  it('sends a signed-out visitor to the sign-in page; nothing there is cached or indexed', async () => {
    const res = await request(app).get('/editor/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/editor/sign-in');
    const form = await request(app).get('/editor/sign-in').set('accept-language', 'en');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(form.headers['set-cookie']).toBeUndefined();
    expect(form.text).toContain('<html lang="en"');
    expect((await request(app).get('/editor/sign-in').set('accept-language', 'fr')).text).toContain('<h1>Se connecter</h1>');
  });

  it('signs in with a name and a password: a cookie that lives under /editor only, HttpOnly, SameSite=Strict, Secure under https', async () => {
    const res = await signIn();
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/editor/');
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^dalil_editor=[\w-]{43}; Path=\/editor; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
    const stored = await testStore().db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(/^dalil_editor=([\w-]+)/.exec(cookie)![1]);
  });

  it.each([
    ['a wrong password', 'amina', 'not the password at all', 401],
    ['an unknown name', 'nobody', PASSWORD, 401],
  ])('refuses %s', async (_what, name, password, status) => {
    const res = await signIn(name, password);
    expect(res.status).toBe(status);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a sign-in without its CSRF token, or from another site', async () => {
    const noToken = await request(app)
      .post('/editor/sign-in')
      .set(ORIGIN)
      .type('form')
      .send(`name=amina&password=${encodeURIComponent(PASSWORD)}`);
    expect(noToken.status).toBe(400);
    expect((await signIn('amina', PASSWORD, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('throttles sign-in attempts per account: the sixth in a quarter of an hour is refused, even with the right password', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn('locked', 'wrong password number ' + i)).status);
    const sixth = await signIn('locked', PASSWORD);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(sixth.status).toBe(429);
    expect(sixth.headers['retry-after']).toBe('900');
  });

  it('shows open reports by guide, step and language, with counts and the latest comments as written; screens’ “No” share; guides past their review date', async () => {
    const { board } = await session();
    expect(board.status).toBe(200);
    expect(board.headers['cache-control']).toBe('no-store');
    const cnops = /<li class="editor-group" data-group="cnops\/3\/fr">[\s\S]*?<\/li>\s*<\/ul>/.exec(board.text)![0];
    expect(cnops).toContain('<strong>Signalements 3</strong>');
    expect(cnops).toContain('<span dir="auto">Le bouton a changé</span>');
    expect(cnops).toContain('=HYPERLINK(&quot;http://evil&quot;)');
    expect(board.text).toContain('data-group="franceconnect/2/ar"');
    expect(board.text).toMatch(
      /<tr data-screen="identify-employer"><td>[^<]+<\/td><td>étape 3<\/td><td>identify-employer<\/td><td>3<\/td><td data-sources>3<\/td><td>67 %<\/td><\/tr>/,
    );
    expect(board.text).toMatch(/<li data-overdue>Se connecter avec FranceConnect: vérifié le 2026-12-06, à revoir le 2027-06-06<\/li>/);
  });

  it('lists every guide in each of its languages: where its text came from, reference texts changed since, open reports, “No” answers, review date', async () => {
    const { cookie } = await session();
    const res = await request(app).get('/editor/guides').set('cookie', cookie);
    expect(res.status).toBe(200);
    const { catalogue } = await realSite();
    const rows = [...res.text.matchAll(/<section class="editor-guide" [^>]*data-guide="([^"]+)">([\s\S]*?)<\/section>/g)];
    expect(rows.map((m) => m[1])).toEqual(catalogue.guides.map((g) => g.slug));
    const section = (slug: string) => rows.find((m) => m[1] === slug)![2]!;
    expect([...section('cnops').matchAll(/<tr data-language="(\w+)"/g)].map((m) => m[1])).toEqual(catalogue.get('cnops')!.languages.map((l) => l.id));
    expect(section('cnops')).toContain('<tr data-language="fr" data-open="3" data-no="2" data-changed="0">');
    expect(section('cnops')).toMatch(
      /<tr data-language="ar" data-open="0" data-no="0" data-changed="0">\s*<th scope="row"><a href="\/ar\/guides\/cnops">العربية<\/a><\/th>\s*<td>d’après la brochure imprimée<\/td>/,
    );
    expect(section('cnops')).toMatch(
      /<tr data-language="fr"[^>]*>\s*<th scope="row"><a href="\/fr\/guides\/cnops">Français<\/a><\/th>\s*<td>référence<\/td>\s*<td>—<\/td>/,
    );
    expect(section('franceconnect')).toContain('<tr data-language="ar" data-open="1" data-no="0"');
    // The clock is the FranceConnect guide's review day: it is due, and so is any guide due by then.
    const today = catalogue.get('franceconnect')!.reviewDue;
    for (const g of catalogue.guides) {
      expect(section(g.slug)).toContain(`data-due="${g.reviewDue}"`);
      expect(section(g.slug).includes('class="callout callout--warning"'), g.slug).toBe(g.reviewDue <= today);
    }
    // A day before any review date: none is due.
    const e = (await realSite()).i18n.editor('fr');
    const early = guidesView({ catalogue, registry: (await realSite()).registry }, e, 'fr', { open: new Map(), no: new Map(), today: '2000-01-01' });
    expect(early.map((g) => g.overdue)).toEqual(catalogue.guides.map(() => false));
  });

  it('marks a group handled only with the session’s CSRF token, and says who did', async () => {
    const { cookie, csrf } = await session();
    const fields = { guide: 'franceconnect', step: '2', tool: '', language: 'ar' };
    const without = await request(app).post('/editor/handle').set(ORIGIN).set('cookie', cookie).type('form').send(new URLSearchParams(fields).toString());
    expect(without.status).toBe(403);
    const wrong = await request(app)
      .post('/editor/handle')
      .set(ORIGIN)
      .set('cookie', cookie)
      .type('form')
      .send(new URLSearchParams({ ...fields, csrf: 'x'.repeat(32) }).toString());
    expect(wrong.status).toBe(403);
    const ok = await request(app)
      .post('/editor/handle')
      .set(ORIGIN)
      .set('cookie', cookie)
      .type('form')
      .send(new URLSearchParams({ ...fields, csrf }).toString());
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/editor/?handled=1');
    const row = await testStore().db.selectFrom('reports').selectAll().where('guide', '=', 'franceconnect').executeTakeFirstOrThrow();
    expect(row.handled_by).toBe('amina');
    expect((await request(app).get('/editor/').set('cookie', cookie)).text).not.toContain('data-group="franceconnect/2/ar"');
  });

  it.each(['abc', '1.5', '0', '-1', '12345'])('answers a step of %j with a localized 400, marking nothing', async (step) => {
    const { cookie, csrf } = await session();
    const res = await request(app)
      .post('/editor/handle')
      .set(ORIGIN)
      .set('cookie', cookie)
      .type('form')
      .send(new URLSearchParams({ guide: 'cnops', step, tool: '', language: 'fr', csrf }).toString());
    expect(res.status).toBe(400);
    const open = await testStore().db.selectFrom('reports').select('id').where('guide', '=', 'cnops').where('handled_at', 'is', null).execute();
    expect(open.length).toBeGreaterThan(0);
  });

  it('exports every report as CSV for spreadsheets: BOM, CRLF, quoted cells, formulas neutralized', async () => {
    const { cookie } = await session();
    const res = await request(app)
      .get('/editor/reports.csv')
      .set('cookie', cookie)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="dalil-reports.csv"');
    const text = res.body as string;
    expect(
      text.startsWith('\ufeff"id","guide","step","tool","language","kind","comment","release","created_at","handled_at","handled_by","answer_id"\r\n'),
    ).toBe(true);
    expect(text).toContain('"\'=HYPERLINK(""http://evil"")"');
    expect(text).toContain('"dit ""oui"", puis\nnon"');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('signs out: the session ends in the store and the cookie is cleared', async () => {
    const { cookie, csrf } = await session();
    const res = await request(app).post('/editor/sign-out').set(ORIGIN).set('cookie', cookie).type('form').send(`csrf=${csrf}`);
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']![0]).toMatch(/^dalil_editor=; Path=\/editor; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect((await request(app).get('/editor/').set('cookie', cookie)).status).toBe(303);
  });
});
