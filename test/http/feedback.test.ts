import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/db.js';
import { BASE_URL, htmlAttr, realSite, testApp, testStore } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
  expect(await testStore().available()).toBe(true);
});

const ORIGIN = { origin: BASE_URL };
const rows = async () => testStore().db.selectFrom('reports').selectAll().orderBy('id').execute();
const answers = async () => testStore().db.selectFrom('screen_answers').selectAll().orderBy('id').execute();
/** A form post as a browser on this site sends it. */
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = ORIGIN) =>
  request(app).post(path).set(headers).type('form').send(new URLSearchParams(fields).toString());

describe('readers’ forms on the pages', () => {
  it('puts "does your screen look like this?" under every screen picture, and a report link under every step, in the reader’s language', async () => {
    const html = (await request(app).get('/ar/guides/cnops')).text;
    const { catalogue } = await realSite();
    const screens = [...html.matchAll(/<figure class="screen-figure">/g)].length;
    const forms = [...html.matchAll(/<form class="screen-check" method="post" action="\/ar\/feedback" data-screen-check/g)].length;
    expect(screens).toBeGreaterThan(5);
    expect(forms).toBe(screens);
    expect(html).toContain('<legend class="screen-check__question">هل تبدو شاشتك هكذا؟</legend>');
    const links = [...html.matchAll(/<p class="report-link"><a href="([^"]+)">([^<]+)<\/a><\/p>/g)];
    expect(links.map((m) => m[1])).toEqual(Array.from({ length: catalogue.get('cnops')!.stepCount }, (_, i) => `/ar/guides/cnops/report?step=${i + 1}`));
    expect(links[0]![2]).toBe('الإبلاغ عن مشكلة في هذه الخطوة');
  });

  it('has no form on paper, nor in the other column of a bilingual page', async () => {
    expect((await request(app).get('/fr/guides/cnops/print')).text).not.toMatch(/screen-check|report-link/);
    const bilingual = (await request(app).get('/ar/guides/cnops?with=fr')).text;
    expect(bilingual).not.toContain('action="/fr/feedback"');
    expect(bilingual).toContain('action="/ar/feedback"');
  });

  it('offers "report a problem with this answer" on a tool’s answer, not on its question', async () => {
    expect((await request(app).get('/en/tools/no-social-security-number?profile=agricultural')).text).toContain(
      '<a href="/en/tools/no-social-security-number/report">Report a problem with this answer</a>',
    );
    expect((await request(app).get('/en/tools/no-social-security-number')).text).not.toContain('report-link');
  });

  it('keeps reader pages cached and cookie-free', async () => {
    const res = await request(app).get('/fr/guides/cnops');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
  });
});

describe('POST /:locale/feedback', () => {
  it('takes a screen answer: 303 to the thank-you page, never cached; stored without anything about the reader', async () => {
    const before = (await answers()).length;
    const res = await post('/fr/feedback', { type: 'screen', guide: 'cnops', step: '3', screen: 'identify-employer', answer: 'no', website: '' });
    expect(res.status).toBe(303);
    // A "No" leads on to what is different (below); a "Yes" to the thank-you page.
    expect(res.headers.location).toMatch(/^\/fr\/guides\/cnops\/report\?step=3&screen=identify-employer&answer=\d+$/);
    expect((await post('/fr/feedback', { type: 'screen', guide: 'cnops', step: '3', screen: 'identify-employer', answer: 'yes' })).headers.location).toBe(
      '/fr/feedback/thanks?guide=cnops&step=3',
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
    const stored = (await answers()).slice(before, before + 1);
    expect(stored).toHaveLength(1);
    const { id, release, created_at, source, ...rest } = stored[0]!;
    // Every column: what the form said, the release, the hour; nothing about the reader but a
    // hash of the address and the day, to count how many sources answered.
    expect(rest).toEqual({ guide: 'cnops', step: 3, screen: 'identify-employer', language: 'fr', answer: 'no' });
    expect(source).toMatch(/^[\w-]{32}$/);
    expect(source).not.toContain('127.0.0.1');
    expect([typeof id, release, created_at]).toEqual(['number', expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/T\d\d:00:00Z$/)]);
  });

  it('answers the page’s own script with 204, same address, same checks', async () => {
    const res = await post(
      '/ar/feedback',
      { type: 'screen', guide: 'cnops', step: '5', screen: 'email', answer: 'yes' },
      { ...ORIGIN, accept: 'application/json' },
    );
    expect(res.status).toBe(204);
  });

  it('takes a report: the comment scrubbed, the time rounded to the hour; the thank-you page leads back to the step', async () => {
    const before = (await rows()).length;
    const res = await post('/prs/feedback', {
      type: 'report',
      guide: 'franceconnect',
      step: '2',
      kind: 'step-wrong',
      comment: 'دکمه دیگر است. شماره من ۰۷۸۱۲۳۴۵۶۷ و ایمیل ahmad@example.com',
      website: '',
    });
    expect(res.status).toBe(303);
    const [row] = (await rows()).slice(before);
    expect(row).toMatchObject({
      guide: 'franceconnect',
      step: 2,
      tool: null,
      language: 'prs',
      kind: 'step-wrong',
      comment: 'دکمه دیگر است. شماره من […] و ایمیل […]',
      handled_at: null,
    });
    expect(row!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00Z$/);
    const thanks = await request(app).get(res.headers.location!);
    expect(thanks.status).toBe(200);
    expect(htmlAttr(thanks.text, 'html', 'lang')).toBe('fa-AF');
    expect(thanks.text).toContain('href="/prs/guides/franceconnect#step-2"');
  });

  it('takes a report about a tool’s answer', async () => {
    const res = await post('/en/feedback', { type: 'report', tool: 'orientation', kind: 'not-understood', comment: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/en/feedback/thanks?tool=orientation');
    expect((await rows()).at(-1)).toMatchObject({ guide: 'aidants-connect', step: null, tool: 'orientation', kind: 'not-understood' });
  });

  it.each([
    ['an unknown guide', { type: 'report', guide: 'nope', step: '1', kind: 'other' }],
    ['a step past the last', { type: 'report', guide: 'cnops', step: '99', kind: 'other' }],
    ['an unknown kind', { type: 'report', guide: 'cnops', step: '1', kind: 'angry' }],
    ['a screen the step does not show', { type: 'screen', guide: 'cnops', step: '1', screen: 'email', answer: 'no' }],
    ['an answer that is neither yes nor no', { type: 'screen', guide: 'cnops', step: '2', screen: 'terms', answer: 'maybe' }],
    ['a guide not written in the page’s language', { type: 'report', guide: 'cnops', step: '1', kind: 'other', lang: 'prs' }],
    ['a field the form does not have', { type: 'report', guide: 'cnops', step: '1', kind: 'other', email: 'x' }],
    ['a comment over 500 characters', { type: 'report', guide: 'cnops', step: '1', kind: 'other', comment: 'é'.repeat(501) }],
  ])('refuses %s with a localized 400, storing nothing', async (_what, fields) => {
    const { lang = 'ar', ...body } = fields as Record<string, string>;
    const before = [(await rows()).length, (await answers()).length];
    const res = await post(`/${lang}/feedback`, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe(lang === 'prs' ? 'fa-AF' : lang);
    expect(res.text).toContain('data-reason="feedback"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect([(await rows()).length, (await answers()).length]).toEqual(before);
  });

  it('accepts the longest comment the form lets through: 500 characters as the browser counts them, emoji included', async () => {
    const roomy = await testApp({ REPORTS_PER_MINUTE: '1000' });
    const send = (comment: string) =>
      request(roomy)
        .post('/fr/feedback')
        .set(ORIGIN)
        .type('form')
        .send(new URLSearchParams({ type: 'report', guide: 'cnops', step: '1', kind: 'other', comment }).toString());
    for (const comment of ['☺'.repeat(500), '😀'.repeat(250), 'ث'.repeat(500)]) expect((await send(comment)).status).toBe(303);
    // One more than the form allows is not an answer of the form.
    expect((await send('😀'.repeat(251))).status).toBe(400);
  });

  it('refuses a body over 8 KB with a localized 413', async () => {
    const res = await post('/fr/feedback', { type: 'report', guide: 'cnops', step: '1', kind: 'other', comment: 'x'.repeat(9000) });
    expect(res.status).toBe(413);
    expect(res.headers['content-language']).toBe('fr');
    expect(res.text).toContain('data-reason="bodyTooLarge"');
  });

  it.each([
    ['Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site (same site, another origin)', { 'sec-fetch-site': 'same-site' }],
  ])('refuses a post from another site (%s) with a localized 403', async (_h, headers) => {
    const before = (await rows()).length;
    const res = await post('/en/feedback', { type: 'report', guide: 'cnops', step: '1', kind: 'other' }, headers);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-reason="crossSite"');
    expect((await rows()).length).toBe(before);
  });

  it('takes a post from a page of this site that sends no referrer (Origin: null, Sec-Fetch-Site: same-origin)', async () => {
    const res = await post('/en/feedback', { type: 'report', guide: 'cnops', step: '1', kind: 'other' }, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(res.status).toBe(303);
    const foreign = await post(
      '/en/feedback',
      { type: 'report', guide: 'cnops', step: '1', kind: 'other' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
    );
    expect(foreign.status).toBe(403);
  });

  it('pretends to take what fills the field no person sees, and stores nothing', async () => {
    const before = (await rows()).length;
    const res = await post('/fr/feedback', { type: 'report', guide: 'cnops', step: '1', kind: 'other', comment: 'buy now', website: 'http://spam.example' });
    expect(res.status).toBe(303);
    expect((await rows()).length).toBe(before);
  });

  it('lets one address send a few reports a minute, then answers a localized 429 with Retry-After', async () => {
    const limited = await testApp({ REPORTS_PER_MINUTE: '3' });
    const send = () => request(limited).post('/ar/feedback').set(ORIGIN).type('form').send('type=report&guide=cnops&step=1&kind=other');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([303, 303, 303, 429, 429]);
    const res = await send();
    expect(res.headers['retry-after']).toBe('60');
    expect(res.headers['content-language']).toBe('ar');
    // The report form comes back, saying when to send it again.
    expect(res.text).toContain('data-refused');
  });

  it('answers a localized 503 when the store is down, while the guides are read as ever', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BASE_URL, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
    const down = openStore(config.feedback.database, '/');
    const broken = createApp({ config, site: await realSite(), logger: pino({ level: 'silent' }), store: down });
    expect((await request(broken).get('/fr/guides/cnops')).status).toBe(200);
    const res = await request(broken).post('/fr/feedback').set(ORIGIN).type('form').send('type=screen&guide=cnops&step=2&screen=terms&answer=yes');
    expect(res.status).toBe(503);
    expect(res.text).toContain('data-reason="storeDown"');
    expect((await request(broken).get('/readyz')).status).toBe(200);
    await down.close();
  });

  it('with FEEDBACK=off: no form on the pages, no feedback address, no editors’ area', async () => {
    const off = await testApp({ FEEDBACK: 'off' });
    expect((await request(off).get('/ar/guides/cnops')).text).not.toMatch(/screen-check|report-link/);
    expect((await request(off).post('/ar/feedback').set(ORIGIN).type('form').send('type=report')).status).toBe(405);
    expect((await request(off).get('/editor/')).status).toBe(404);
  });
});

describe('the report form', () => {
  it('names the step, asks what is wrong, warns not to type anything personal', async () => {
    const res = await request(app).get('/fr/guides/cnops/report?step=3');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<form class="report-form" method="post" action="/fr/feedback">');
    expect(res.text).toContain('<input type="hidden" name="step" value="3">');
    expect([...res.text.matchAll(/name="kind" value="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['screen-different', 'step-wrong', 'not-understood', 'other']);
    expect(res.text).toMatch(/<textarea id="comment" name="comment" rows="4" maxlength="500" dir="auto" aria-describedby="privacy">/);
    expect(res.text).toContain('N’écrivez rien de personnel');
    expect(res.text).toContain('href="/fr/guides/cnops#step-3"');
  });

  it.each([
    '/fr/guides/cnops/report?step=0',
    '/fr/guides/cnops/report?step=11',
    '/fr/guides/cnops/report',
    '/fr/guides/nope/report?step=1',
    '/prs/guides/cnops/report?step=1',
  ])('%s is a localized 404', async (path) => {
    expect((await request(app).get(path)).status).toBe(404);
  });
});

describe('a "No" leads somewhere: what is different, and what to do now', () => {
  it('a "No" goes to the report form for that screen, pre-filled, with the official help; the report is linked to the answer', async () => {
    const before = (await answers()).length;
    const res = await post('/ar/feedback', { type: 'screen', guide: 'cnss-amo-tadamon', step: '2', screen: 'identify', answer: 'no' });
    expect(res.status).toBe(303);
    const id = (await answers()).slice(before)[0]!.id;
    expect(res.headers.location).toBe(`/ar/guides/cnss-amo-tadamon/report?step=2&screen=identify&answer=${id}`);
    const form = (await request(app).get(res.headers.location!)).text;
    expect(form).toContain('<h1 tabindex="-1">ما الذي يختلف على شاشتك؟</h1>');
    expect(form).toMatch(/<input type="radio" id="kind-screen-different" name="kind" value="screen-different" required checked>/);
    expect(form).toContain('<input type="hidden" name="screen" value="identify">');
    expect(form).toContain(`<input type="hidden" name="answer" value="${id}">`);
    // What to do now: the official site, the number to call.
    const help = /<section class="help-now"[\s\S]*?<\/section>/.exec(form)![0];
    expect(help).toContain('href="https://www.cnss.ma/"');
    expect(help).toContain('href="tel:0520194040"');
    const sent = await post('/ar/feedback', {
      type: 'report',
      guide: 'cnss-amo-tadamon',
      step: '2',
      kind: 'screen-different',
      comment: 'الزر تغيّر',
      screen: 'identify',
      answer: String(id),
    });
    expect(sent.status).toBe(303);
    expect((await rows()).at(-1)).toMatchObject({ guide: 'cnss-amo-tadamon', step: 2, answer_id: id });
  });

  it('a French guide’s "No" also leads to a place nearby where someone helps, with the dated page that says so', async () => {
    const res = await request(app).get('/fr/guides/franceconnect/report?step=1');
    const help = /<section class="help-now"[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(help).toContain('href="https://aide.franceconnect.gouv.fr/"');
    expect(help).toContain('href="https://cartographie.societenumerique.gouv.fr/"');
    expect(help).toContain('href="https://github.com/betagouv/Aidants_Connect/pull/1769"');
  });

  it('to the page’s own script, a "No" answers where to go next (200, JSON)', async () => {
    const res = await request(app)
      .post('/fr/feedback')
      .set({ ...ORIGIN, accept: 'application/json' })
      .type('form')
      .send('type=screen&guide=cnops&step=2&screen=terms&answer=no');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['next']);
    expect((res.body as { next: string }).next).toMatch(/^\/fr\/guides\/cnops\/report\?step=2&screen=terms&answer=\d+$/);
  });

  it('a report naming an answer that is not a "No" to that step keeps no link', async () => {
    const yes = await post('/fr/feedback', { type: 'screen', guide: 'cnops', step: '2', screen: 'terms', answer: 'yes' });
    expect(yes.status).toBe(303);
    const id = (await answers()).at(-1)!.id;
    await post('/fr/feedback', { type: 'report', guide: 'cnops', step: '2', kind: 'other', comment: '', screen: 'terms', answer: String(id) });
    expect((await rows()).at(-1)!.answer_id).toBeNull();
  });

  it.each(['/fr/guides/cnops/report?step=2&screen=nothing&answer=1', '/fr/guides/cnops/report?step=2&screen=terms', '/fr/guides/cnops/report?step=2&answer=x'])(
    '%s is a localized 404',
    async (path) => {
      expect((await request(app).get(path)).status).toBe(404);
    },
  );

  it('answers and reports are counted apart: 20 answers and then a report from one address within a minute are all taken', async () => {
    const shared = await testApp();
    const send = (fields: string) => request(shared).post('/fr/feedback').set(ORIGIN).type('form').send(fields);
    for (let i = 0; i < 20; i++) expect((await send('type=screen&guide=cnops&step=2&screen=terms&answer=yes')).status).toBe(303);
    expect((await send('type=report&guide=cnops&step=2&kind=other&comment=ok')).status).toBe(303);
  });

  it('a report refused for now comes back as it was typed, saying when to send it again', async () => {
    const strict = await testApp({ REPORTS_PER_MINUTE: '1' });
    const send = () =>
      request(strict)
        .post('/prs/feedback')
        .set(ORIGIN)
        .type('form')
        .send(new URLSearchParams({ type: 'report', guide: 'franceconnect', step: '3', kind: 'not-understood', comment: 'این گام را نمی‌فهمم' }).toString());
    expect((await send()).status).toBe(303);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.text).toContain('data-refused');
    expect(refused.text).toContain('>این گام را نمی‌فهمم</textarea>');
    expect(refused.text).toMatch(/value="not-understood" required checked/);
  });
});
