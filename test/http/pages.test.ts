import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, htmlAttr, realSite, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const hreflangs = (html: string) => [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">/g)].map((m) => [m[1], m[2]]);

describe('GET / (language picker)', () => {
  it('offers every language in its own script, the Accept-Language match first', async () => {
    const res = await request(app).get('/').set('Accept-Language', 'fa-AF,fa;q=0.9,en;q=0.5');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers.vary).toMatch(/Accept-Language/);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe('fa-AF');
    expect(htmlAttr(res.text, 'html', 'dir')).toBe('rtl');
    expect(res.headers['content-language']).toBe('fa-AF');
    const choices = [
      ...res.text.matchAll(/<a class="picker__choice" href="([^"]+)" lang="([^"]+)" dir="([^"]+)"[^>]*>\s*<span class="picker__name">([^<]+)</g),
    ].map((m) => m.slice(1));
    expect(choices).toEqual([
      ['/prs/', 'fa-AF', 'rtl', 'دری'],
      ['/fr/', 'fr', 'ltr', 'Français'],
      ['/ar/', 'ar', 'rtl', 'العربية'],
      ['/ps/', 'ps', 'rtl', 'پښتو'],
      ['/en/', 'en', 'ltr', 'English'],
    ]);
    expect(res.text).toContain('المتابعة بالعربية');
    expect(res.text).toContain('Continue in English');
  });

  it('falls back to French, the first language, without a usable Accept-Language', async () => {
    const res = await request(app).get('/').set('Accept-Language', 'de-DE');
    expect(htmlAttr(res.text, 'html', 'lang')).toBe('fr');
    expect(res.text.indexOf('/fr/')).toBeLessThan(res.text.indexOf('/ar/'));
  });
});

describe('GET /:locale/ (home)', () => {
  it.each([
    ['fr', 'fr', 'ltr', 'Guides des démarches en ligne', 'France'],
    ['ar', 'ar', 'rtl', 'أدلة الإجراءات عبر الإنترنت', 'فرنسا'],
    ['prs', 'fa-AF', 'rtl', 'رهنمودهای کارهای اداری آنلاین', 'فرانسه'],
    ['ps', 'ps', 'rtl', 'د آنلاین اداري کارونو لارښودونه', 'فرانسه'],
    ['en', 'en', 'ltr', 'Guides to online procedures', 'France'],
  ])('/%s/ is in %s, %s, lists the guides by country', async (id, lang, dir, title, country) => {
    const res = await request(app).get(`/${id}/`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe(lang);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe(lang);
    expect(htmlAttr(res.text, 'html', 'dir')).toBe(dir);
    expect(res.text).toContain(`<h1>${title}</h1>`);
    expect(res.text).toContain(`<h2 id="country-FR">${country}</h2>`);
    expect(res.text).toContain(`href="/${id}/guides/franceconnect"`);
    expect(hreflangs(res.text)).toEqual([
      ['fr', `${BASE_URL}/fr/`],
      ['ar', `${BASE_URL}/ar/`],
      ['fa-AF', `${BASE_URL}/prs/`],
      ['ps', `${BASE_URL}/ps/`],
      ['en', `${BASE_URL}/en/`],
      ['x-default', `${BASE_URL}/`],
    ]);
  });

  it('redirects /en to /en/', async () => {
    const res = await request(app).get('/en');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/en/');
  });
});

describe('GET /:locale/guides/franceconnect', () => {
  const expected = {
    fr: { lang: 'fr', dir: 'ltr', title: 'Se connecter avec FranceConnect', step2: 'Cliquez sur le bouton' },
    ar: { lang: 'ar', dir: 'rtl', title: 'تسجيل الدخول عبر <bdi dir="ltr" lang="fr">FranceConnect</bdi>', step2: 'انقر على زر' },
    prs: { lang: 'fa-AF', dir: 'rtl', title: 'وصل شدن با <bdi dir="ltr" lang="fr">FranceConnect</bdi>', step2: 'روی دکمه' },
    ps: { lang: 'ps', dir: 'rtl', title: 'د <bdi dir="ltr" lang="fr">FranceConnect</bdi> له لارې ننوتل', step2: 'تڼۍ کلیک وکړئ' },
    en: { lang: 'en', dir: 'ltr', title: 'Log in with FranceConnect', step2: 'Click the button' },
  };

  it.each(Object.entries(expected))('%s: the whole guide, with numbered steps and the French button label', async (id, e) => {
    const res = await request(app).get(`/${id}/guides/franceconnect`);
    expect(res.status).toBe(200);
    expect(res.headers['content-language']).toBe(e.lang);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe(e.lang);
    expect(htmlAttr(res.text, 'html', 'dir')).toBe(e.dir);
    expect(res.text).toContain(`<h1>${e.title}</h1>`);
    for (const section of ['what', 'prerequisites', 'login']) expect(res.text).toContain(`id="${section}"`);
    const steps = [...res.text.matchAll(/<li class="step" id="(step-\d+)" data-listen-step>/g)].map((m) => m[1]);
    expect(steps).toEqual(['step-1', 'step-2', 'step-3', 'step-4', 'step-5']);
    const step2 = /<li class="step" id="step-2" data-listen-step>([\s\S]*?)<\/li>/.exec(res.text)![1]!;
    expect(step2).toContain(e.step2);
    expect(step2).toContain('<bdi class="ui" lang="fr" dir="ltr">S’identifier avec FranceConnect</bdi>');
    expect(res.text).toContain('<bdi class="code" dir="ltr">1 60 04 25 311 114 26</bdi>');
    expect(res.text).toContain('href="https://franceconnect.gouv.fr/"');
    expect(hreflangs(res.text).map(([l]) => l)).toEqual(['fr', 'ar', 'fa-AF', 'ps', 'en', 'x-default']);
    expect(hreflangs(res.text)[2]).toEqual(['fa-AF', `${BASE_URL}/prs/guides/franceconnect`]);
  });

  it('says when and against what it was checked, with the date in the reader’s language', async () => {
    expect((await request(app).get('/en/guides/franceconnect')).text).toContain(
      'Checked against the printed FranceConnect leaflet (Arabic and Dari editions) and FranceConnect’s public code on 6 December 2026.',
    );
    expect((await request(app).get('/fr/guides/franceconnect')).text).toContain('le 6 décembre 2026.');
  });

  it('has a language switcher that keeps the reader on the same guide', async () => {
    const res = await request(app).get('/ar/guides/franceconnect');
    const nav = /<nav class="language-switcher"[\s\S]*?<\/nav>/.exec(res.text)![0];
    expect(nav).toContain('<a href="/fr/guides/franceconnect" lang="fr" dir="ltr" hreflang="fr">Français</a>');
    expect(nav).toContain('<a href="/prs/guides/franceconnect" lang="fa-AF" dir="rtl" hreflang="fa-AF">دری</a>');
    expect(nav).toContain('<a href="/ar/guides/franceconnect" lang="ar" dir="rtl" aria-current="page">العربية</a>');
    // One row: the current language in a disclosure's summary, the others listed inside it.
    expect(nav).toMatch(
      /<details class="language-switcher__menu">\s*<summary><span class="language-switcher__label">[^<]+<\/span> <span class="language-switcher__current" lang="ar" dir="rtl">العربية<\/span><\/summary>/,
    );
  });
});

describe('errors', () => {
  it.each([
    ['/xx/', 'ar', 'ar', 'الصفحة غير موجودة', 'هذه اللغة غير متوفرة'],
    ['/xx/guides/franceconnect', 'en-GB', 'en', 'Page not found', 'This language is not available'],
    ['/fr/guides/nope', 'en', 'fr', 'Page introuvable', 'Il n’y a pas de guide à cette adresse'],
    ['/ar/guides/nope', 'fr', 'ar', 'الصفحة غير موجودة', 'لا يوجد دليل في هذا العنوان'],
    ['/prs/guides/nope', 'fr', 'fa-AF', 'صفحه پیدا نشد', 'در این آدرس رهنمودی وجود ندارد'],
    ['/en/nothing/here', 'fr', 'en', 'Page not found', 'There is no page at this address'],
    ['/assets/css/none.css', 'ar', 'ar', 'الصفحة غير موجودة', 'لا توجد صفحة في هذا العنوان'],
  ])('%s (Accept-Language %s) is a 404 page in %s', async (path, accept, lang, title, reason) => {
    const res = await request(app).get(path).set('Accept-Language', accept);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe(lang);
    expect(htmlAttr(res.text, 'html', 'lang')).toBe(lang);
    expect(res.text).toContain(`<h1>${title}</h1>`);
    expect(res.text).toContain(reason);
  });

  it('sends Vary: Accept-Language when the 404 language came from the header', async () => {
    expect((await request(app).get('/xx/')).headers.vary).toMatch(/Accept-Language/);
    expect((await request(app).get('/fr/guides/nope')).headers.vary ?? '').not.toMatch(/Accept-Language/);
  });

  it.each([
    ['/fr/guides/%E0%A4%A', 'fr', 'Cette adresse n’est pas valide'],
    ['/ar/guides/%ZZ', 'ar', 'هذا العنوان غير صالح'],
    ['/prs/guides/franceconnect%', 'fa-AF', 'این آدرس درست نیست'],
  ])('%s is a 400 page in %s, with no stack trace', async (path, lang, title) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(400);
    expect(res.headers['content-language']).toBe(lang);
    expect(res.text).toContain(`<h1>${title}</h1>`);
    expect(res.text).not.toMatch(/URIError|at \w+ \(|node_modules/);
  });
});

describe('headers on every response', () => {
  const paths = ['/', '/fr/', '/ar/guides/franceconnect', '/xx/', '/fr/guides/%ZZ', '/healthz', '/readyz', '/assets/css/site.css'];

  const requests: Array<[string, string]> = [
    ...paths.map((p): [string, string] => ['GET', p]),
    ['POST', '/fr/guides/cnops'],
    ['DELETE', '/'],
    ['GET', `/fr/guides/${'x'.repeat(2100)}`],
    ['HEAD', '/ar/guides/franceconnect'],
  ];
  it.each(requests)('%s %s: strict CSP, no referrer, no framing, no cookie', async (method, path) => {
    const res = await request(app)[method.toLowerCase() as 'get'](path);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\//);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['permissions-policy']).toContain('camera=()');
    expect(res.headers['x-dns-prefetch-control']).toBe('off');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    // Headers no supported browser reads any more are not sent.
    for (const legacy of ['x-xss-protection', 'x-download-options', 'x-permitted-cross-domain-policies']) expect(res.headers[legacy]).toBeUndefined();
  });

  it('other methods get a plain-text 405 naming GET and HEAD; over-long addresses a localized 414', async () => {
    const post = await request(app).post('/fr/guides/cnops');
    expect([post.status, post.headers.allow, post.headers['content-type']]).toEqual([405, 'GET, HEAD', 'text/plain; charset=utf-8']);
    const long = await request(app).get(`/ar/guides/${'x'.repeat(2100)}`);
    expect(long.status).toBe(414);
    expect(long.headers['content-language']).toBe('ar');
    expect(long.text).toContain('data-reason="tooLong"');
  });

  it('pages load nothing from another origin, carry no inline script or style, and link only to official sites', async () => {
    const { catalogue } = await realSite();
    const official = catalogue.guides.flatMap((g) => g.domains);
    const paths = ['/', '/fr/', '/xx/', ...catalogue.guides.flatMap((g) => g.languages.map((l) => `/${l.id}/guides/${g.slug}`))];
    for (const path of paths) {
      const html = (await request(app).get(path)).text;
      // Scripts only from this site's files (never inline), no style element or attribute, no event attribute.
      expect(html).not.toMatch(/<script(?![^>]*\ssrc="\/assets\/js\/)|<style|\sstyle=|\son[a-z]+=/i);
      // What the browser fetches by itself: src attributes and <link> other than hreflang alternates.
      const loaded = [...html.matchAll(/\ssrc="([^"]+)"|<link rel="(?!alternate)[^"]*" href="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
      expect(
        loaded.filter((u) => !u!.startsWith('/')),
        path,
      ).toEqual([]);
      // Where links lead: this site, an official site a guide declares, or WhatsApp's link to send the page (a link only).
      const hosts = [...html.matchAll(/<a [^>]*href="https?:\/\/([^/"]+)/g)].map((m) => m[1]!);
      const allowed = [...official, new URL(BASE_URL).host, 'wa.me'];
      expect(
        hosts.filter((h) => !allowed.some((d) => h === d || h.endsWith(`.${d}`))),
        path,
      ).toEqual([]);
    }
  });

  it('sends HSTS and upgrade-insecure-requests when the public address is HTTPS', async () => {
    const https = await testApp({ BASE_URL: 'https://dalil.example' });
    const res = await request(https).get('/fr/');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    const http = await testApp({ BASE_URL: 'http://localhost:3000' });
    const plain = await request(http).get('/fr/');
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
