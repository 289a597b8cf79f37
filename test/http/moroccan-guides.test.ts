import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { realSite, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const LANGUAGES = ['ar', 'fr', 'en'];
const section = (html: string, id: string) => new RegExp(`<section class="guide-section" id="${id}"[\\s\\S]*?</section>`).exec(html)![0];
const stepIds = (html: string) => [...html.matchAll(/<li class="step" id="(step-\d+)" data-listen-step>/g)].map((m) => m[1]);
const branches = (html: string) => [...html.matchAll(/<li class="branch" data-branch="([a-z-]+)">/g)].map((m) => m[1]);
const ui = (label: string) => `<bdi class="ui" lang="fr" dir="ltr">${label}</bdi>`;

describe.each(LANGUAGES)('CNOPS in %s', (locale) => {
  let html: string;
  beforeAll(async () => {
    const res = await request(app).get(`/${locale}/guides/cnops`);
    expect(res.status).toBe(200);
    // Addresses carry break points (<wbr>) after their dots and slashes: read as text here.
    html = res.text.replaceAll('<wbr>', '');
  });

  it('has the ten steps in the leaflet’s order, the two choices as branches of their step', () => {
    expect(stepIds(html)).toEqual(Array.from({ length: 10 }, (_, i) => `step-${i + 1}`));
    expect(branches(html)).toEqual(['registration-number', 'employer-id', 'bank-transfer', 'postal-order']);
    const step3 = /<li class="step" id="step-3" data-listen-step>[\s\S]*?<li class="step" id="step-4" data-listen-step>/.exec(html)![0];
    expect(branches(step3)).toEqual(['registration-number', 'employer-id']);
  });

  it('warns first, visibly, never to give the password or a code to anyone', () => {
    const before = section(html, 'before');
    expect(before).toMatch(/<div class="callout callout--warning">[\s\S]*<strong>/);
  });

  it('shows the site’s buttons as the reader will see them', () => {
    for (const label of ['Continuer', 'Valider', 'Envoyer le code secret', 'Vérifier', 'Renvoyer le code', 'Enregister', 'Je ne suis pas un robot']) {
      expect(html).toContain(ui(label));
    }
  });

  it('gives the password rules exactly: a capital letter, a digit, 8 characters', () => {
    const step9 = /<li class="step" id="step-9" data-listen-step>[\s\S]*?<li class="step" id="step-10" data-listen-step>/.exec(html)![0];
    const rules = [...step9.matchAll(/<ol class="substeps">([\s\S]*?)<\/ol>/g)][0]![1]!;
    expect(rules.match(/<li>/g)).toHaveLength(3);
    expect(rules).toMatch(/8/);
    expect(step9).toContain('au moins une lettre majuscule, un chiffre, et une longueur minimale de 8 caractères');
  });

  it('shows the bank branch with the last 8 digits and the postal branch with the civil-status number', () => {
    expect(html).toContain('Quels sont les 8 derniers chiffres de votre numéro de compte bancaire enregistré à la CNOPS ?');
    expect(html).toContain('Quels est votre numéro d&#39;état civil ?');
  });

  it('links the activation page and the official site, and gives no scrambled phone number', () => {
    expect(html).toContain('<a class="url" href="https://www.cnops.org.ma/mon_compte" dir="ltr">www.cnops.org.ma/mon_compte</a>');
    expect(section(html, 'help')).toContain('href="https://www.cnops.org.ma/"');
    expect(html).not.toMatch(/tel:/);
  });
});

describe.each(LANGUAGES)('Ma CNSS, AMO Tadamon, in %s', (locale) => {
  let html: string;
  beforeAll(async () => {
    html = (await request(app).get(`/${locale}/guides/cnss-amo-tadamon`)).text.replaceAll('<wbr>', '');
  });

  it('has the three steps, the eleven form actions (confirming the phone and the e-mail included) numbered like the form, and the four outcomes', () => {
    expect(stepIds(html)).toEqual(['step-1', 'step-2', 'step-3']);
    const step2 = /<li class="step" id="step-2" data-listen-step>[\s\S]*?<li class="step" id="step-3" data-listen-step>/.exec(html)![0];
    expect(/<ol class="substeps">([\s\S]*?)<\/ol>/.exec(step2)![1]!.match(/<li>/g)).toHaveLength(11);
    expect([...step2.matchAll(/<span class="screen__mark" dir="ltr">(\d+)<\/span>/g)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(branches(html)).toEqual(['registered-with-account', 'registered-without-account', 'other-scheme', 'unknown-to-cnss']);
  });

  it('says RAMED holders are covered since 1 December 2022', () => {
    expect(section(html, 'about')).toMatch(/RAMED/);
    expect(section(html, 'about')).toMatch(/2022/);
  });

  it('shows the Arabic button of the portal as it is, isolated, and the customer-service number as a tel: link', () => {
    expect(html).toContain('<bdi class="ui" lang="ar" dir="rtl">أنا شخص مستفيد من AMO التضامن</bdi>');
    expect(html).toContain('<a class="phone" href="tel:0520194040" dir="ltr">05\u00a020\u00a019\u00a040\u00a040</a>');
    expect(html).toContain('<a class="url" href="https://www.macnss.ma/" dir="ltr">www.macnss.ma</a>');
  });
});

describe.each(LANGUAGES)('Ma CNSS, self-employed workers, in %s', (locale) => {
  let html: string;
  beforeAll(async () => {
    html = (await request(app).get(`/${locale}/guides/cnss-self-employed`)).text.replaceAll('<wbr>', '');
  });

  it('has the three steps and the four outcomes, including the worker subject but not registered', () => {
    expect(stepIds(html)).toEqual(['step-1', 'step-2', 'step-3']);
    expect(branches(html)).toEqual(['registered-with-account', 'registered-without-account', 'subject-not-registered', 'not-subject']);
    expect(html).toContain(ui('je suis un travailleur non salarié'));
    expect(html).toContain(ui('Valider'));
    expect(html).toContain(ui('ICI'));
  });

  it('cites the leaflet it comes from at the top, and what it borrows from the AMO Tadamon one in a note under the guide', () => {
    expect(html).not.toContain('GuidePortail_TNS_VA.pdf');
    const meta = /<p class="meta">([\s\S]*?)<br>/.exec(html)![1]!;
    expect(meta).not.toContain('<a ');
    expect(meta).not.toMatch(/Tadamon|التضامن/);
    const note = /<p class="guide-note" data-source-note>([\s\S]*?)<\/p>/.exec(html)![1]!;
    expect(note).toMatch(/AMO(<\/bdi>)? (Tadamon|التضامن)/);
    // The note closes the guide: nothing of the guide's own comes after it.
    expect(html.indexOf('data-source-note')).toBeGreaterThan(html.lastIndexOf('<section class="guide-section"'));
  });

  it('gives no phone number that no source says serves self-employed workers, and sends readers to the official site', () => {
    expect(html).not.toContain('tel:');
    expect(html).not.toContain('0520194040');
    expect(section(html, 'help')).toContain('<a class="url" href="https://www.cnss.ma/" dir="ltr">');
  });
});

describe('Moroccan guides', () => {
  it('are written in ar, fr and en, every id covered, and not offered in Dari', async () => {
    const { catalogue } = await realSite();
    for (const slug of ['cnops', 'cnss-amo-tadamon', 'cnss-self-employed']) {
      expect(catalogue.get(slug)!.languages.map((l) => l.id)).toEqual(['fr', 'ar', 'en']);
      for (const row of catalogue.coverage.filter((c) => c.slug === slug)) expect([row.declared, row.covered]).toEqual([true, row.total]);
      const res = await request(app).get(`/prs/guides/${slug}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-language']).toBe('fa-AF');
      expect(res.text).toContain('این رهنمود هنوز به دری نوشته نشده است.');
      expect(res.text).toContain(`href="/ar/guides/${slug}"`);
    }
  });

  it.each(LANGUAGES)('the %s home lists them under Morocco', async (locale) => {
    const html = (await request(app).get(`/${locale}/`)).text;
    const morocco = /<section class="country" aria-labelledby="country-MA">[\s\S]*?<\/section>/.exec(html)![0];
    for (const slug of ['cnops', 'cnss-amo-tadamon', 'cnss-self-employed']) expect(morocco).toContain(`href="/${locale}/guides/${slug}"`);
  });

  it('the Dari home offers them in the languages they exist in', async () => {
    const html = (await request(app).get('/prs/')).text;
    const elsewhere = /<section class="elsewhere"[\s\S]*?<\/section>/.exec(html)![0];
    expect(elsewhere).toContain('href="/ar/guides/cnops"');
    expect(elsewhere).toContain('href="/fr/guides/cnss-self-employed"');
  });
});

describe('dates on Moroccan pages', () => {
  it('are written with Moroccan month names in Arabic, as on French-side pages otherwise', async () => {
    const { catalogue } = await realSite();
    const cnops = (await request(app).get('/ar/guides/cnops')).text;
    const franceconnect = (await request(app).get('/ar/guides/franceconnect')).text;
    const month = (iso: string) => Number(iso.slice(5, 7));
    // CNOPS was checked in November (نونبر in Morocco, نوفمبر elsewhere), FranceConnect in December (دجنبر, ديسمبر).
    expect(month(catalogue.get('cnops')!.checkedDate)).toBe(11);
    expect(month(catalogue.get('franceconnect')!.checkedDate)).toBe(12);
    expect(cnops).toMatch(/\d+ نونبر 2026/);
    expect(cnops).not.toContain('نوفمبر');
    expect(franceconnect).toMatch(/\d+ ديسمبر 2026/);
    expect(franceconnect).not.toContain('دجنبر');
  });
});
