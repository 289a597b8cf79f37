import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { htmlAttr, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const LANGUAGES = [
  ['fr', 'fr', 'ltr'],
  ['ar', 'ar', 'rtl'],
  ['prs', 'fa-AF', 'rtl'],
  ['en', 'en', 'ltr'],
] as const;
const attrs = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([a-z-]+)"`, 'g'))].map((m) => m[1]);

/** Words for the printed leaflet: a reader of the web page never saw one. */
const LEAFLET = /leaflet|dépliant|مطوية|بروشور/i;

describe('tool answers speak of this guide, never of a leaflet', () => {
  it.each(['fr', 'ar', 'prs', 'ps', 'en'])('%s', async (locale) => {
    for (const query of ['?answered=1', '?has=smartphone&answered=1', '?has=msa-membership&answered=1']) {
      const html = (await request(app).get(`/${locale}/tools/identity-provider${query}`)).text;
      const result = /<section class="result"[\s\S]*?<\/section>/.exec(html)![0];
      expect(result).not.toMatch(LEAFLET);
    }
    for (const path of ['no-social-security-number?profile=asylum-seeker', 'orientation?knows-site=no']) {
      const result = /<section class="result"[\s\S]*?<\/section>/.exec((await request(app).get(`/${locale}/tools/${path}`)).text)![0];
      expect(result).not.toMatch(LEAFLET);
    }
  });
});

describe.each(LANGUAGES)('tools in %s', (locale, lang, dir) => {
  it('the home lists the three tools', async () => {
    const html = (await request(app).get(`/${locale}/`)).text;
    const tools = /<section class="tools"[\s\S]*?<\/section>/.exec(html)![0];
    for (const id of ['identity-provider', 'no-social-security-number', 'orientation']) expect(tools).toContain(`href="/${locale}/tools/${id}"`);
  });

  it('identity-provider: the start page is a form of twelve labelled checkboxes named "has"', async () => {
    const res = await request(app).get(`/${locale}/tools/identity-provider`);
    expect(res.status).toBe(200);
    expect([htmlAttr(res.text, 'html', 'lang'), htmlAttr(res.text, 'html', 'dir')]).toEqual([lang, dir]);
    const boxes = [...res.text.matchAll(/<input type="checkbox" id="(has-[a-z-]+)" name="has" value="([a-z-]+)">\s*<label for="([a-z-]+)">/g)];
    expect(boxes).toHaveLength(10);
    // What only the withdrawn provider asked for leads nowhere: it is not asked.
    expect(boxes.map((b) => b[2])).not.toContain('orange-subscription');
    expect(boxes.map((b) => b[2])).not.toContain('id-card');
    for (const b of boxes) expect(b[1]).toBe(b[3]);
    expect(res.text).toMatch(/<fieldset>\s*<legend>/);
    // No answer on the page: its parts wait in a template (for the page's script, offline), never shown.
    const template = /<template data-offline-answer[\s\S]*?<\/template>/.exec(res.text)![0];
    expect(template).toContain('data-provider-match');
    expect(res.text.replace(template, '')).not.toContain('data-provider-match');
  });

  it.each([
    [['tax-number', 'reference-tax-income', 'online-access-number'], ['impots']],
    [
      ['social-security-number', 'health-insurance-card', 'bank-details', 'msa-membership'],
      ['ameli', 'msa'],
    ],
    [['french-id-document', 'postal-identity-check', 'smartphone'], ['laposte']],
    // The one line the withdrawn provider's card shares with a provider still offered: no match.
    [['smartphone'], []],
    [['tax-number', 'smartphone'], []],
  ])('identity-provider with %j matches %j', async (has, matches) => {
    const query = [...has.map((h) => `has=${h}`), 'answered=1'].join('&');
    const res = await request(app).get(`/${locale}/tools/identity-provider?${query}`);
    expect(res.status).toBe(200);
    expect(attrs(res.text, 'data-provider-match')).toEqual(matches);
    expect(attrs(res.text, 'data-provider-unknown')).toEqual(['france-identite', 'yris', 'trustme']);
    // The withdrawn one, always apart: its badge, its notice, the date and source of that fact.
    expect(attrs(res.text, 'data-provider-withdrawn')).toEqual(['orange']);
    const withdrawn = /data-provider-withdrawn="orange"[\s\S]*?<\/li>/.exec(res.text)![0];
    expect(withdrawn).toContain('class="badge"');
    expect(withdrawn).toContain('href="https://github.com/france-connect/sources/blob/fbf65bf85ad640648bda40180f9a165212497309/');
    expect(attrs(res.text, 'data-provider-missing')).not.toContain('orange');
    for (const h of has) expect(res.text).toContain(`value="${h}" checked`);
    if (matches.length === 0) {
      expect(res.text).toContain(`href="/${locale}/tools/orientation"`);
      expect(res.text).toContain(`href="/${locale}/guides/aidants-connect#mandate"`);
    }
  });

  it('identity-provider with none that fits yet leads with the closest, and what is missing for each', async () => {
    const res = await request(app).get(`/${locale}/tools/identity-provider?has=tax-number&has=reference-tax-income&answered=1`);
    const result = /<section class="result" id="result"[\s\S]*?<\/section>/.exec(res.text)![0];
    // One thing missing for impots.gouv.fr and for MSA: they come first, before the help desk.
    expect(attrs(result, 'data-provider-closest')).toEqual(['impots', 'msa']);
    expect(result.indexOf('data-provider-closest')).toBeLessThan(result.indexOf('result-none'));
    const impots = /data-provider-closest="impots"[\s\S]*?<\/li>\s*<\/ul>\s*<\/li>/.exec(result)![0];
    expect(impots.match(/<li data-check=/g)).toHaveLength(1);
    // The others, apart; nobody listed twice.
    expect(attrs(result, 'data-provider-missing')).toEqual(['ameli', 'laposte']);
  });

  it('every form of a tool sends the reader to its answer (#result), which takes the focus', async () => {
    for (const [id, query] of [
      ['identity-provider', '?answered=1&has=msa-membership'],
      ['no-social-security-number', '?profile=asylum-seeker'],
      ['orientation', '?knows-site=no'],
      ['orientation', '?knows-site=yes'],
    ] as const) {
      const html = (await request(app).get(`/${locale}/tools/${id}${query}`)).text;
      // An end of the chart has no form left; every other page has one.
      if (!html.includes('data-outcome=')) expect(html).toContain(`action="/${locale}/tools/${id}#result"`);
      expect(html.match(/ id="result" tabindex="-1"/g)).toHaveLength(1);
    }
  });

  it('identity-provider with nothing ticked says no provider fits yet', async () => {
    const res = await request(app).get(`/${locale}/tools/identity-provider?answered=1`);
    expect(attrs(res.text, 'data-provider-match')).toEqual([]);
    expect(res.text).toContain('class="result-none"');
  });

  it.each([
    ['born-in-france', 'registered-at-birth'],
    ['asylum-seeker', 'cpam'],
    ['employee-or-unemployed', 'caf-or-cpam'],
    ['self-employed', 'cpam'],
    ['agricultural', 'msa'],
    ['civil-servant-military-sncf', 'special-regime'],
    ['survivor-pension-abroad', 'carsat-or-pension-fund'],
  ])('no-social-security-number: %s → %s', async (profile, referral) => {
    const res = await request(app).get(`/${locale}/tools/no-social-security-number?profile=${profile}`);
    expect(res.status).toBe(200);
    expect(attrs(res.text, 'data-referral')).toEqual([referral]);
    expect(res.text).toContain(`value="${profile}" checked`);
  });

  it.each([
    ['', 'question', 'knows-site'],
    ['knows-site=no', 'outcome', 'find-service'],
    ['knows-site=yes', 'question', 'has-account'],
    ['knows-site=yes&has-account=no', 'outcome', 'choose-provider'],
    ['knows-site=yes&has-account=yes', 'question', 'has-login'],
    ['knows-site=yes&has-account=yes&has-login=no', 'outcome', 'recover-login'],
    ['knows-site=yes&has-account=yes&has-login=yes', 'question', 'can-alone'],
    ['knows-site=yes&has-account=yes&has-login=yes&can-alone=no', 'outcome', 'mandate-or-learn'],
    ['knows-site=yes&has-account=yes&has-login=yes&can-alone=yes', 'outcome', 'go-ahead'],
  ])('orientation ?%s asks or ends as it should', async (query, kind, key) => {
    const res = await request(app).get(`/${locale}/tools/orientation?${query}`);
    expect(res.status).toBe(200);
    if (kind === 'question') {
      expect(attrs(res.text, 'data-question')).toEqual([key]);
      expect(res.text).toContain(`name="${key}" value="yes"`);
      expect(res.text).toContain(`name="${key}" value="no"`);
      // The earlier answers travel with the form.
      for (const [name, value] of new URLSearchParams(query)) expect(res.text).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    } else {
      expect(attrs(res.text, 'data-outcome')).toEqual([key]);
      expect(res.text).toContain(`<a href="/${locale}/tools/orientation">`);
    }
  });

  it.each([
    ['identity-provider?has=car', 'toolValue'],
    // A requirement only the withdrawn provider had is no longer an answer.
    ['identity-provider?has=orange-subscription&answered=1', 'toolValue'],
    ['identity-provider?colour=red', 'toolUnknown'],
    ['identity-provider?answered=1&answered=1', 'toolRepeated'],
    ['no-social-security-number?profile=student', 'toolValue'],
    ['no-social-security-number?profile=agricultural&profile=self-employed', 'toolRepeated'],
    ['orientation?has-account=yes', 'toolOrder'],
    ['orientation?knows-site=no&has-account=yes', 'toolOrder'],
    ['orientation?knows-site=perhaps', 'toolValue'],
    ['orientation?knows-site[a]=yes', 'toolUnknown'],
  ])('bad input %s is a localized 400 (%s) linking back to the start', async (path, reason) => {
    const res = await request(app).get(`/${locale}/tools/${path}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe(lang);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe(lang);
    expect(res.text).toContain(`<a class="button" href="/${locale}/tools/${path.split('?')[0]}">`);
    expect(res.text).toContain(`data-reason="${reason}"`);
    expect(res.text).not.toMatch(/at \w+ \(|ZodError/);
  });
});

describe('tool errors', () => {
  it('quotes the offending parameter, escaped', async () => {
    const res = await request(app).get('/en/tools/orientation?%3Cscript%3E=yes');
    expect(res.status).toBe(400);
    expect(res.text).toContain('“<bdi>&lt;script&gt;</bdi>”');
    expect(res.text).not.toContain('<script>');
  });

  it('isolates a quoted value in <bdi> and strips the bidi controls that would reorder the sentence', async () => {
    const res = await request(app).get('/ar/tools/orientation?knows-site=%E2%80%AEevil%E2%81%A6x');
    expect(res.status).toBe(400);
    const reason = /<p class="lead" data-reason="toolValue">(.*)<\/p>/.exec(res.text)![1]!;
    expect(reason).toContain('«<bdi>evilx</bdi>»');
    expect(reason).toContain('«<bdi>knows-site</bdi>»');
    expect(reason).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/u);
  });

  it('cuts a long quoted value between characters, never inside one', async () => {
    // 39 letters then emoji (surrogate pairs in JavaScript): a cut at 40 UTF-16 units would split one.
    const value = `${'a'.repeat(39)}${'😀'.repeat(5)}`;
    const res = await request(app).get(`/en/tools/orientation?knows-site=${encodeURIComponent(value)}`);
    expect(res.text).toContain(`<bdi>${'a'.repeat(39)}😀…</bdi>`);
    expect(res.text).not.toContain('\ufffd');
  });

  it('an unknown tool is a localized 404', async () => {
    const res = await request(app).get('/ar/tools/nope');
    expect(res.status).toBe(404);
    expect(res.text).toContain('لا توجد أداة في هذا العنوان');
  });

  it('keeps the answers when switching language', async () => {
    const res = await request(app).get('/en/tools/orientation?knows-site=yes');
    expect(res.text).toContain('<a href="/prs/tools/orientation?knows-site=yes" lang="fa-AF" dir="rtl" hreflang="fa-AF">دری</a>');
  });
});
