import type { Express } from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, htmlAttr, realSite, testApp } from '../helpers.js';

let app: Express;
beforeAll(async () => {
  app = await testApp();
});

const decode = (html: string) =>
  html
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
const title = (html: string) => decode(/<title>([^<]*) · [^<·]*<\/title>/.exec(html)![1]!);

/** The "send to a phone" section of a page: its address, and its SMS and WhatsApp links. */
function share(html: string) {
  const section = /<section class="share" id="share"[\s\S]*?<\/section>/.exec(html)?.[0];
  if (!section) return undefined;
  return {
    url: /<a class="url" href="([^"]+)" dir="ltr" data-share-url>/.exec(section)![1],
    sms: decode(/<a href="(sms:[^"]+)">/.exec(section)![1]!),
    whatsapp: decode(/<a href="(https:\/\/wa\.me\/[^"]+)"/.exec(section)![1]!),
    heading: /<h2 class="share__title" id="share-title">([^<]+)<\/h2>/.exec(section)![1],
  };
}

describe('send to a phone: plain links that carry the address at BASE_URL', () => {
  it.each([
    ['/fr/guides/franceconnect', '/fr/guides/franceconnect'],
    ['/ps/guides/aidants-connect', '/ps/guides/aidants-connect'],
    // The bilingual page is sent as it is shown.
    ['/ar/guides/cnops?with=fr', '/ar/guides/cnops?with=fr'],
    // A help-desk screen opens that place of the guide (the step, the section), in the person's language.
    ['/prs/guides/franceconnect/present/5', '/prs/guides/franceconnect#step-3'],
    ['/ar/guides/cnops/present/8?with=fr', '/ar/guides/cnops#step-7'],
    ['/fr/guides/cnops/present/1', '/fr/guides/cnops#before'],
    // A tool's answer: its answers are in its address, written the one way the app writes them (names in order).
    ['/en/tools/no-social-security-number?profile=asylum-seeker', '/en/tools/no-social-security-number?profile=asylum-seeker'],
    ['/fr/tools/identity-provider?has=smartphone&has=msa-membership&answered=1', '/fr/tools/identity-provider?answered=1&has=smartphone&has=msa-membership'],
  ])('%s sends %s', async (path, sent) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(200);
    const s = share(res.text)!;
    const url = `${BASE_URL}${sent}`;
    expect(s.url).toBe(url.replace(/&/g, '&amp;'));
    const text = `${title(res.text)} ${url}`;
    expect(s.sms).toBe(`sms:?&body=${encodeURIComponent(text)}`);
    expect(s.whatsapp).toBe(`https://wa.me/?text=${encodeURIComponent(text)}`);
    // Encoded: the address's own "?", "&" and "#" cannot end the message early.
    expect(decodeURIComponent(s.sms.slice('sms:?&body='.length))).toBe(text);
    expect(s.sms.slice('sms:?&body='.length)).not.toMatch(/[?&# ]/);
  });

  it('the guide page’s actions lead to it, in the reader’s language', async () => {
    const html = (await request(app).get('/ps/guides/franceconnect')).text;
    expect(html).toMatch(/<section class="about" id="about-page"[\s\S]*<li><a href="#share">ټیلیفون ته ولېږئ<\/a><\/li>/);
    expect(share(html)!.heading).toBe('ټیلیفون ته ولېږئ');
  });

  it.each(['/fr/guides/franceconnect/print', '/en/tools/no-social-security-number', '/ar/tools/identity-provider', '/fr/'])(
    '%s (paper, a question not yet answered, a home) has none',
    async (path) => {
      const html = (await request(app).get(path)).text;
      expect(share(html)).toBeUndefined();
    },
  );

  it('the address follows BASE_URL', async () => {
    const other = await testApp({ BASE_URL: 'https://aide.example.org' });
    const html = (await request(other).get('/en/guides/cnops/present/3')).text;
    expect(share(html)!.url).toBe('https://aide.example.org/en/guides/cnops#step-2');
  });
});

describe('read aloud: the control and what it reads are in the page, hidden until a script finds a voice', () => {
  it.each([
    ['/prs/guides/franceconnect', 'صدا: {name} (فارسی ایران: در این دستگاه صدای دری نیست)'],
    ['/fr/guides/cnops/present/2', 'Voix\u00a0: {name} (persan d’Iran\u00a0: pas de voix dari sur cet appareil)'],
  ])('%s', async (path, persian) => {
    const html = (await request(app).get(path)).text;
    expect(html).toMatch(/<div class="listen" data-listen hidden role="group"/);
    expect(decode(htmlAttr(html, 'div', 'data-persian-voice')!)).toBe(persian);
    expect(html).toContain('data-listen-part');
    expect(html).toMatch(/<script src="\/assets\/js\/listen\.[0-9a-f]{10}\.js" defer><\/script>/);
  });

  it('every step of a guide is a part of its own', async () => {
    const html = (await request(app).get('/ar/guides/cnops')).text;
    const { catalogue } = await realSite();
    expect(html.match(/<li class="step" id="step-\d+" data-listen-step>/g)).toHaveLength(catalogue.get('cnops')!.stepCount);
  });
});

describe('Pashto', () => {
  it('the French guides are in Pashto, marked machine-assisted and not yet checked, with the French page as the reference', async () => {
    for (const slug of ['franceconnect', 'aidants-connect']) {
      const res = await request(app).get(`/ps/guides/${slug}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-language']).toBe('ps');
      expect(htmlAttr(res.text, 'html', 'dir')).toBe('rtl');
      const line = /<p class="provenance" data-translation-status="([a-z]+)" data-machine-assisted="true">([\s\S]*?)<\/p>/.exec(res.text)!;
      expect(line[1]).toBe('translated');
      expect(line[2]).toContain('د ماشیني ژباړې په مرسته');
      expect(line[2]).toContain(`<a href="/fr/guides/${slug}" hreflang="fr">فرانسوي</a>`);
    }
  });

  it('every language version of the French guides names the Pashto one as an alternate; the Moroccan guides do not', async () => {
    for (const l of ['fr', 'ar', 'prs', 'ps', 'en']) {
      const html = (await request(app).get(`/${l}/guides/aidants-connect`)).text;
      expect(html).toContain(`<link rel="alternate" hreflang="ps" href="${BASE_URL}/ps/guides/aidants-connect">`);
    }
    expect((await request(app).get('/fr/guides/cnops')).text).not.toContain('hreflang="ps"');
  });

  it('the Pashto home lists the Moroccan guides under "not yet in Pashto"', async () => {
    const html = (await request(app).get('/ps/')).text;
    const elsewhere = /<section class="elsewhere" aria-labelledby="elsewhere">[\s\S]*?<\/section>/.exec(html)![0];
    expect(elsewhere).toContain('هغه لارښودونه چې لا تر اوسه په پښتو نشته');
    for (const slug of ['cnops', 'cnss-amo-tadamon', 'cnss-self-employed']) expect(elsewhere).toContain(`/guides/${slug}"`);
    expect(elsewhere).not.toContain('/guides/franceconnect"');
    // One heading for the country, however many of its guides are listed.
    expect(elsewhere.match(/<h3\b[^>]*>[^<]*<\/h3>/g)).toEqual(['<h3 id="elsewhere-MA">مراکش</h3>']);
  });

  it('a Moroccan guide asked in Pashto: a 404 page in Pashto that leads to its languages', async () => {
    const res = await request(app).get('/ps/guides/cnops');
    expect(res.status).toBe(404);
    expect(res.headers['content-language']).toBe('ps');
    expect(res.text).toContain('دا لارښود لا تر اوسه په پښتو نه دی لیکل شوی.');
    expect(res.text).toContain('href="/fr/guides/cnops"');
  });

  it('the manifest and the offline page are in Pashto, right to left', async () => {
    const manifest = (await request(app).get('/ps/manifest.webmanifest')).body as { lang: string; dir: string; start_url: string };
    expect(manifest).toMatchObject({ lang: 'ps', dir: 'rtl', start_url: '/ps/' });
    const offline = await request(app).get('/ps/offline');
    expect(offline.status).toBe(200);
    expect(htmlAttr(offline.text, 'html', 'lang')).toBe('ps');
  });

  it('each guide page names its revision, and the language’s offline list gives the published one of every guide: equal today, another for each language', async () => {
    const { catalogue } = await realSite();
    const revisions = new Map<string, string>();
    for (const language of ['fr', 'prs', 'ps']) {
      const list = (await request(app).get(`/${language}/offline.json`)).body as { revisions: Record<string, string> };
      const guides = catalogue.guides.filter((g) => g.languages.some((l) => l.id === language));
      expect(Object.keys(list.revisions).sort()).toEqual(guides.map((g) => g.slug).sort());
      for (const g of guides) {
        const page = await request(app).get(`/${language}/guides/${g.slug}`);
        expect(htmlAttr(page.text, 'article', 'data-guide'), `${language} ${g.slug}`).toBe(g.slug);
        expect(htmlAttr(page.text, 'article', 'data-guide-revision'), `${language} ${g.slug}`).toBe(list.revisions[g.slug]);
        revisions.set(`${language} ${g.slug}`, list.revisions[g.slug]!);
      }
    }
    expect(new Set(revisions.values()).size).toBe(revisions.size);
  });
});
