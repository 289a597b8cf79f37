import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, htmlAttr, realSite, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const stepIds = (html: string) => [...html.matchAll(/<li class="step" id="(step-\d+)" data-listen-step>/g)].map((m) => m[1]);

describe('handouts', () => {
  it.each([
    ['ar', 'franceconnect'],
    ['prs', 'aidants-connect'],
    ['fr', 'cnops'],
    ['en', 'cnss-amo-tadamon'],
  ])('/%s/guides/%s/print: every step, a QR code to the online page with its short address, no navigation', async (locale, slug) => {
    const { catalogue } = await realSite();
    const res = await request(app).get(`/${locale}/guides/${slug}/print`);
    expect(res.status).toBe(200);
    expect(stepIds(res.text)).toHaveLength(catalogue.get(slug)!.stepCount);
    expect(res.text).toMatch(/<svg class="qr__code" role="img" aria-label="[^"]+"/);
    expect(res.text.replaceAll('<wbr>', '')).toContain(`<bdi class="qr__url" dir="ltr">${BASE_URL.replace('https://', '')}/${locale}/guides/${slug}</bdi>`);
    expect(res.text).not.toContain('class="toc"');
    expect(res.text).not.toContain('class="guide-actions"');
    expect(res.text).not.toContain('class="screen-figure"');
  });

  it('the guide page offers the handout, the help-desk mode and the bilingual views', async () => {
    const html = (await request(app).get('/ar/guides/franceconnect')).text;
    expect(html).toContain('href="/ar/guides/franceconnect/print"');
    expect(html).toContain('href="/ar/guides/franceconnect/present/1"');
    for (const l of ['fr', 'prs', 'en']) expect(html).toContain(`href="/ar/guides/franceconnect?with=${l}"`);
  });
});

describe('bilingual view', () => {
  it('shows every block and every step in Arabic beside the French, each with its own lang and dir', async () => {
    const res = await request(app).get('/ar/guides/franceconnect?with=fr');
    expect(res.status).toBe(200);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe('ar');
    const others = [...res.text.matchAll(/<div class="bi__col bi__col--other" lang="([^"]+)" dir="([^"]+)">/g)];
    // Every block and every step, each beside its French counterpart.
    const { catalogue } = await realSite();
    const g = catalogue.get('franceconnect')!;
    const blocks = g.sections.flatMap((s) => s.blocks).filter((b) => b.type !== 'steps').length;
    expect(others).toHaveLength(blocks + g.stepCount);
    for (const o of others) expect([o[1], o[2]]).toEqual(['fr', 'ltr']);
    for (const id of stepIds(res.text)) {
      const step = new RegExp(`<li class="step" id="${id}" data-listen-step>[\\s\\S]*?<div class="bi__col bi__col--other" lang="fr" dir="ltr">`).exec(res.text);
      expect(step, id).not.toBeNull();
    }
    expect(res.text).toContain('Cliquez sur le bouton');
    expect(res.text).toContain('انقر على زر');
    // Unique anchors, even with the cards twice.
    const ids = [...res.text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the second language when switching the first', async () => {
    const html = (await request(app).get('/ar/guides/franceconnect?with=fr')).text;
    expect(html).toContain('<a href="/prs/guides/franceconnect?with=fr" lang="fa-AF" dir="rtl" hreflang="fa-AF">دری</a>');
    expect(html).toContain('<a href="/fr/guides/franceconnect" lang="fr" dir="ltr" hreflang="fr">Français</a>');
  });

  it('works on handouts too', async () => {
    const res = await request(app).get('/prs/guides/aidants-connect/print?with=fr');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div class="bi__col bi__col--other" lang="fr" dir="ltr">');
  });

  it.each([
    ['/ar/guides/franceconnect?with=ar', 'ar'],
    ['/ar/guides/franceconnect?with=de', 'ar'],
    ['/fr/guides/cnops?with=prs', 'fr'],
    ['/en/guides/franceconnect/print?with=xx', 'en'],
    ['/en/guides/franceconnect?with=fr&with=ar', 'en'],
  ])('%s is a localized 400', async (path, locale) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(400);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe(locale);
    expect(res.text).toContain(`href="${path.split('?')[0]}"`);
  });
});

/** The screens of a guide's help-desk mode, as the guide page names their places: a section's id, or step-N. */
function placesOf(slug: string, catalogue: Awaited<ReturnType<typeof realSite>>['catalogue']) {
  const g = catalogue.get(slug)!;
  return g.parts.map((p) => ('step' in p ? `step-${p.step}` : g.sections[p.section]!.id));
}

describe('presentation mode', () => {
  it('walks every part of a guide in order, "Before you begin" and its warning first, what to do at the end last, with prev/next links, an exit to that place and a QR code to continue on the phone', async () => {
    const { catalogue } = await realSite();
    const places = placesOf('cnops', catalogue);
    const steps = catalogue.get('cnops')!.stepCount;
    expect(places).toEqual(['before', ...Array.from({ length: steps }, (_, i) => `step-${i + 1}`), 'help']);
    const total = places.length;
    for (let n = 1; n <= total; n++) {
      const place = places[n - 1]!;
      const res = await request(app).get(`/fr/guides/cnops/present/${n}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<p class="present__count">${n} sur ${total}</p>`);
      if (place.startsWith('step-')) expect(res.text).toContain(`<div class="present__step step" id="${place}">`);
      else expect(res.text).toContain(`<div class="present__part" id="${place}">`);
      if (n > 1) expect(res.text).toContain(`rel="prev" href="/fr/guides/cnops/present/${n - 1}"`);
      else expect(res.text).not.toContain('rel="prev"');
      if (n < total) expect(res.text).toContain(`rel="next" href="/fr/guides/cnops/present/${n + 1}"`);
      else expect(res.text).not.toContain('rel="next"');
      expect(res.text).toContain(`data-first="/fr/guides/cnops/present/1" data-last="/fr/guides/cnops/present/${total}"`);
      expect(res.text).toContain(`data-exit href="/fr/guides/cnops#${place}"`);
      expect(res.text).toContain(`${BASE_URL.replace('https://', '')}/fr/guides/cnops#${place}`);
      expect(res.text).toMatch(/<script src="\/assets\/js\/present\.[0-9a-f]{10}\.js" defer><\/script>/);
    }
    // The first screen: before you begin, with the warning never to give anyone the codes.
    const first = (await request(app).get('/fr/guides/cnops/present/1')).text;
    expect(first).toMatch(/<h2 class="present__section">Avant de commencer<\/h2>/);
    expect(first).toMatch(/<div class="present__part" id="before">[\s\S]*<div class="callout callout--warning">[\s\S]*<\/article>/);
  });

  it.each([
    ['fr', 'franceconnect'],
    ['ar', 'aidants-connect'],
    ['ar', 'cnops'],
    ['ps', 'franceconnect'],
    ['en', 'cnss-amo-tadamon'],
    ['fr', 'cnss-self-employed'],
  ])('/%s/guides/%s/present/1 is the guide’s first section, the last screen its last part, one more a 404', async (locale, slug) => {
    const { catalogue } = await realSite();
    const g = catalogue.get(slug)!;
    const places = placesOf(slug, catalogue);
    expect(places[0]).toBe(g.sections[0]!.id);
    expect(places.at(-1)).toBe(g.sections.at(-1)!.id);
    const first = await request(app).get(`/${locale}/guides/${slug}/present/1`);
    expect(first.status).toBe(200);
    expect(first.text).toContain(`<div class="present__part" id="${g.sections[0]!.id}">`);
    expect(first.text).toContain(`data-exit href="/${locale}/guides/${slug}#${g.sections[0]!.id}"`);
    const last = await request(app).get(`/${locale}/guides/${slug}/present/${places.length}`);
    expect(last.status).toBe(200);
    expect(last.text).toContain(`<div class="present__part" id="${g.sections.at(-1)!.id}">`);
    expect(last.text).not.toContain('rel="next"');
    expect((await request(app).get(`/${locale}/guides/${slug}/present/${places.length + 1}`)).status).toBe(404);
  });

  it('works with ?with=, keeping it in the links, the blocks of a section beside the other language too', async () => {
    const res = await request(app).get('/prs/guides/franceconnect/present/2?with=fr');
    expect(res.status).toBe(200);
    expect(res.text).toContain('rel="next" href="/prs/guides/franceconnect/present/3?with=fr"');
    expect(res.text).toContain('<div class="bi__col bi__col--other" lang="fr" dir="ltr">');
    const step = await request(app).get('/prs/guides/franceconnect/present/3?with=fr');
    expect(step.text).toContain('<div class="present__step step" id="step-1">');
    expect(step.text).toContain('<div class="bi__col bi__col--other" lang="fr" dir="ltr">');
  });

  it.each(['0', '999', 'abc', '1.5', '01'])('/fr/guides/cnops/present/%s is a localized 404', async (n) => {
    const res = await request(app).get(`/fr/guides/cnops/present/${n}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-language']).toBe('fr');
    expect(res.text).toMatch(/data-reason="(step|page)"/);
  });
});
