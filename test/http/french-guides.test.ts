import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { realSite, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const LANGUAGES = ['fr', 'ar', 'prs', 'ps', 'en'];

/**
 * What each identity provider asks for, written here from the leaflets' yes/no table
 * (seed 000, Arabic; seed 001, Dari), and the providers' status as FranceConnect's partner
 * documentation gives it.
 */
const PROVIDERS: Record<string, { status: string; checks: string[] }> = {
  impots: { status: 'current', checks: ['tax-number', 'reference-tax-income', 'online-access-number'] },
  ameli: { status: 'current', checks: ['social-security-number', 'health-insurance-card', 'bank-details'] },
  laposte: { status: 'current', checks: ['french-id-document', 'postal-identity-check', 'smartphone'] },
  // Withdrawn: its notice only, none of what it asked.
  orange: { status: 'withdrawn', checks: [] },
  msa: { status: 'current', checks: ['msa-membership'] },
  'france-identite': { status: 'new', checks: [] },
  yris: { status: 'new', checks: [] },
  trustme: { status: 'new', checks: [] },
};
/** FranceConnect's own text naming every provider a user may have used, in its public code (version of 2026-02-24). */
const PROVIDERS_SOURCE =
  'https://github.com/france-connect/sources/blob/fbf65bf85ad640648bda40180f9a165212497309/front/instances/user-dashboard/src/ui/pages/identity-theft-report/success/identity-theft-report-success.page.tsx';

/** Who to send where when there is no social security number: both leaflets agree. */
const REFERRALS = {
  'born-in-france': 'registered-at-birth',
  'asylum-seeker': 'cpam',
  'employee-or-unemployed': 'caf-or-cpam',
  'self-employed': 'cpam',
  agricultural: 'msa',
  'civil-servant-military-sncf': 'special-regime',
  'survivor-pension-abroad': 'carsat-or-pension-fund',
};

const FAMILIES = ['citizenship', 'vehicles', 'family', 'social-health', 'justice', 'work', 'money', 'housing', 'leisure'];

function cards(html: string) {
  return [...html.matchAll(/<article class="card card--[a-z]+" id="providers-idp-([a-z-]+)" data-key="[^"]+" data-status="([a-z]+)"[\s\S]*?<\/article>/g)].map(
    (m) => ({ key: m[1]!, status: m[2]!, checks: [...m[0].matchAll(/data-check="([a-z-]+)"/g)].map((c) => c[1]), html: m[0] }),
  );
}

describe.each(LANGUAGES)('FranceConnect guide in %s', (locale) => {
  let html: string;
  beforeAll(async () => {
    const res = await request(app).get(`/${locale}/guides/franceconnect`);
    expect(res.status).toBe(200);
    html = res.text;
  });

  it('has every section, in order', () => {
    const ids = [...html.matchAll(/<section class="guide-section" id="([a-z-]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['what', 'prerequisites', 'login', 'providers', 'procedures', 'no-ssn']);
  });

  it('has every identity provider with the checklist of the leaflets and its status', () => {
    const found = cards(html);
    expect(Object.fromEntries(found.map((c) => [c.key, { status: c.status, checks: c.checks }]))).toEqual(PROVIDERS);
  });

  it('ends only the cards of providers still offered with "all yes? you can choose it"', () => {
    for (const c of cards(html)) expect(c.html.includes('card__conclusion'), c.key).toBe(c.status === 'current');
  });

  it('dates and sources every change since the leaflet, and links the others to FranceConnect', () => {
    for (const c of cards(html).filter((c) => c.status !== 'current')) {
      expect(c.html).toMatch(/<p class="badge">[^<]+<\/p>/);
      expect(c.html).toContain(`href="${PROVIDERS_SOURCE}"`);
      // The date the source carries, beside it; its long address shortened for reading, whole in the link.
      expect(c.html).toMatch(/\([^()]*2026[^()]*\)<\/p>/);
      expect(c.html.replaceAll('<wbr>', '')).toContain('github.com/france-connect/sources/…/identity-theft-report-success.page.tsx');
    }
    for (const key of ['france-identite', 'yris', 'trustme']) {
      expect(cards(html).find((c) => c.key === key)!.html).toContain('href="https://franceconnect.gouv.fr/"');
    }
  });

  it('refers each profile without a social security number to the body the leaflets name', () => {
    const referral = /<section class="guide-section" id="no-ssn"[\s\S]*?<\/section>/.exec(html)![0];
    const pairs = Object.fromEntries([...referral.matchAll(/<div class="pair" data-key="([a-z-]+)" data-value="([a-z-]+)">/g)].map((m) => [m[1]!, m[2]!]));
    expect(pairs).toEqual(REFERRALS);
    expect(referral).toMatch(/RNIPP/);
    expect(referral).toMatch(/INSEE/);
    expect(referral).toMatch(/CNAV/);
    expect(referral).toContain('class="callout callout--warning"');
  });

  it('lists the families of procedures', () => {
    const section = /<section class="guide-section" id="procedures"[\s\S]*?<\/section>/.exec(html)![0];
    expect([...section.matchAll(/<div class="pair" data-key="([a-z-]+)">/g)].map((m) => m[1])).toEqual(FAMILIES);
  });

  it('shows the French terms of the forms in French, marked lang="fr"', () => {
    for (const term of ['numéro fiscal', 'revenu fiscal de référence', 'carte Vitale', 'RIB']) {
      if (locale === 'fr') expect(html).toContain(term);
      else expect(html).toContain(`<bdi class="term" lang="fr" dir="ltr">${term}</bdi>`);
    }
  });
});

describe.each(LANGUAGES)('Aidants Connect guide in %s', (locale) => {
  let html: string;
  beforeAll(async () => {
    const res = await request(app).get(`/${locale}/guides/aidants-connect`);
    expect(res.status).toBe(200);
    html = res.text;
  });

  it('has every section, the five steps and the mandate in three parts', () => {
    expect([...html.matchAll(/<section class="guide-section" id="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['what', 'steps', 'mandate', 'orientation']);
    expect([...html.matchAll(/<li class="step" id="(step-\d)" data-listen-step>/g)].map((m) => m[1])).toEqual([
      'step-1',
      'step-2',
      'step-3',
      'step-4',
      'step-5',
    ]);
    const mandate = /<section class="guide-section" id="mandate"[\s\S]*?<\/section>/.exec(html)![0];
    expect(mandate.match(/<h3>/g)).toHaveLength(3);
    // As the mandate in use says it (2026): what I allow (2), what I declare (1), what I am assured of (5).
    expect(mandate.match(/<li>/g)).toHaveLength(8);
  });

  it('says first, as information with the service’s own dated page, that only the French mandate has legal value', () => {
    const mandate = /<section class="guide-section" id="mandate"[\s\S]*?<\/section>/.exec(html)![0];
    expect(mandate.indexOf('callout--info')).toBeGreaterThan(0);
    expect(mandate).toContain(
      'href="https://github.com/betagouv/Aidants_Connect/blob/42814c5ac62f758b769c33c1e36affd217b689ab/aidants_connect_web/templates/aidants_connect_web/attestation_translation.html"',
    );
    // It summarises the mandate in use, which it links; it is not the mandate's translation.
    expect(mandate).toContain('mandat_templates/20260323_mandat.html"');
    expect(mandate.indexOf('callout--info')).toBeLessThan(mandate.indexOf('<h3>'));
    expect(mandate).not.toContain('callout--warning');
  });

  it('says, with the change that made it so and its date, that a mandate is no longer made remotely by SMS', () => {
    const steps = /<section class="guide-section" id="steps"[\s\S]*?<\/section>/.exec(html)![0];
    const notice = /<div class="callout callout--info">[\s\S]*?<\/div>/.exec(steps)![0];
    expect(notice).toContain('SMS');
    expect(notice).toContain('href="https://github.com/betagouv/Aidants_Connect/pull/1780"');
    expect(notice).toMatch(/\([^()]*2026[^()]*\)<\/p>/);
    expect(steps.indexOf('callout--info')).toBeLessThan(steps.indexOf('id="step-1"'));
  });

  it('has the orientation flowchart: four questions in order, each "no" with its answer, then "go ahead"', () => {
    const questions = [
      ...html.matchAll(
        /<li class="decision__question" data-question="([a-z-]+)">[\s\S]*?decision__answer--no" data-outcome="[a-z-]+"><strong>[^<]+<\/strong> ([^<]+)/g,
      ),
    ];
    expect(questions.map((m) => m[1])).toEqual(['knows-site', 'has-account', 'has-login', 'can-alone']);
    for (const q of questions) expect(q[2]!.trim().length).toBeGreaterThan(10);
    const outcomes = [...html.matchAll(/decision__answer--no" data-outcome="([a-z-]+)"/g)].map((m) => m[1]);
    expect(outcomes).toEqual(['find-service', 'choose-provider', 'recover-login', 'mandate-or-learn']);
    expect(html).toMatch(/<p class="decision__yes" data-outcome="go-ahead">[\s\S]*S’identifier avec FranceConnect/);
  });
});

describe('content coverage', () => {
  it('both French guides are written in fr, ar, prs, ps and en, every id covered', async () => {
    const { catalogue } = await realSite();
    for (const slug of ['franceconnect', 'aidants-connect']) {
      expect(catalogue.get(slug)!.languages.map((l) => l.id)).toEqual(['fr', 'ar', 'prs', 'ps', 'en']);
      const rows = catalogue.coverage.filter((c) => c.slug === slug);
      expect(rows).toHaveLength(5);
      for (const row of rows) expect([row.declared, row.covered]).toEqual([true, row.total]);
    }
  });

  it.each(LANGUAGES)('the %s home lists both French guides under France', async (locale) => {
    const html = (await request(app).get(`/${locale}/`)).text;
    const france = /<section class="country" aria-labelledby="country-FR">[\s\S]*?<\/section>/.exec(html)![0];
    expect(france).toContain(`href="/${locale}/guides/franceconnect"`);
    expect(france).toContain(`href="/${locale}/guides/aidants-connect"`);
  });
});

describe.each(LANGUAGES)('the French guides lead to their tools, in %s', (locale) => {
  const sectionOf = (html: string, id: string) => new RegExp(`<section class="guide-section" id="${id}"[\\s\\S]*?</section>`).exec(html)![0];
  const hrefs = (html: string) => [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);

  it('FranceConnect: the prerequisites warn at once that without a social security number it is closed, and link the referral and the checker', async () => {
    const html = (await request(app).get(`/${locale}/guides/franceconnect`)).text;
    const prerequisites = sectionOf(html, 'prerequisites');
    const warning = /<div class="callout callout--warning">[\s\S]*?<\/div>/.exec(prerequisites)![0];
    expect(hrefs(warning)).toEqual([`/${locale}/tools/no-social-security-number`]);
    expect(warning).toContain('<strong>');
    expect(hrefs(prerequisites)).toContain(`/${locale}/tools/identity-provider`);
    // The providers' cards are the checker's form: what is ticked opens it.
    expect(sectionOf(html, 'providers')).toContain(`<form class="cards-form" method="get" action="/${locale}/tools/identity-provider">`);
    expect(hrefs(sectionOf(html, 'no-ssn'))).toContain(`/${locale}/tools/no-social-security-number`);
  });

  it('Aidants Connect: the help-desk chart links the orientation tool', async () => {
    const html = (await request(app).get(`/${locale}/guides/aidants-connect`)).text;
    expect(hrefs(sectionOf(html, 'orientation'))).toContain(`/${locale}/tools/orientation`);
  });
});
