import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { urls } from '../../src/urls.js';
import { realSite, ROOT, testApp } from '../helpers.js';

/**
 * Every page of a guide tells readers where its text came from, as translations.yaml records it,
 * and nothing more: the guide page, its handout, a help-desk step, its home card and each of its
 * tools, in every language of the guide.
 */
let app: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  app = await testApp();
});

interface Entry {
  status: string;
  from?: string[];
  screens?: boolean;
  'machine-assisted'?: boolean;
  by?: string;
}
const recorded = (slug: string) => parse(readFileSync(join(ROOT, 'content/guides', slug, 'translations.yaml'), 'utf8')) as Record<string, Entry>;

/** The provenance line of a page: its attributes and its sentence. */
function lineOf(html: string) {
  const m = /<p class="provenance(?: [a-z_-]+)?" data-translation-status="([a-z]+)"((?: data-[a-z-]+="true")*)>([\s\S]*?)<\/p>/.exec(html);
  return (
    m && { status: m[1], machineAssisted: m[2]!.includes('data-machine-assisted="true"'), reference: m[2]!.includes('data-reference="true"'), html: m[3]! }
  );
}

describe('where a text came from, on every page of a guide', async () => {
  const { catalogue, i18n } = await realSite();
  const cases = catalogue.guides.flatMap((g) => g.languages.map((l) => [l.id, g.slug] as const));

  it.each(cases)('%s %s: the line matches translations.yaml on the guide, handout, help-desk step, home card and tools', async (locale, slug) => {
    const g = catalogue.get(slug)!;
    const entry = recorded(slug)[locale]!;
    const t = i18n.t(locale);
    const name = (id: string) => t(`languageNames.${id}`);
    const from = entry.from ?? [entry.status === 'leaflet' ? locale : g.reference.id];
    const names = from.map(name).reduce((first, second) => t('provenance.pair', { first, second }));
    const key = entry.status === 'leaflet' ? (entry.screens ? 'leafletScreens' : 'leaflet') : entry['machine-assisted'] ? 'machineAssisted' : 'translated';
    const origin = t(`provenance.${key}`, { languages: names, screens: name(g.siteLanguage.id) });
    const isReference = locale === g.reference.id;
    const tools = catalogue.tools.filter((tool) => tool.guide === g);
    const pages: Array<[string, string]> = [
      [
        urls.guide(
          g.languages.find((l) => l.id === locale)!,
          slug,
        ),
        urls.guide(g.reference, slug),
      ],
      [`/${locale}/guides/${slug}/print`, urls.guide(g.reference, slug)],
      [`/${locale}/guides/${slug}/present/1`, urls.guide(g.reference, slug)],
      ...tools.map((tool): [string, string] => [`/${locale}/tools/${tool.id}`, urls.tool(g.reference, tool.id)]),
    ];
    for (const [path, referenceHref] of pages) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      const line = lineOf(res.text);
      expect(line, path).not.toBeNull();
      expect(line!.status, path).toBe(entry.status);
      expect(line!.machineAssisted, path).toBe(entry['machine-assisted'] === true);
      expect(line!.reference, path).toBe(isReference);
      expect(line!.html.startsWith(origin), path).toBe(true);
      if (isReference) expect(line!.html, path).toContain(t('provenance.isReference'));
      // The reference is named in the reader's language and linked: never its own name in its own script.
      else expect(line!.html, path).toContain(`<a href="${referenceHref}" hreflang="${g.reference.lang}">${name(g.reference.id)}</a>`);
      if (locale !== g.reference.id) expect(line!.html, path).not.toContain(g.reference.name);
    }
    const home = (await request(app).get(`/${locale}/`)).text;
    const card = new RegExp(`<li class="guide-card">\\s*<a class="guide-card__link" href="/${locale}/guides/${slug}">[\\s\\S]*?</li>`).exec(home)![0];
    const onCard = lineOf(card);
    expect(onCard?.status).toBe(entry.status);
    expect(onCard!.html.startsWith(origin)).toBe(true);
    // A card is not the page: it does not call itself the reference.
    expect(onCard!.html).not.toContain(t('provenance.isReference'));
  });

  it.each([
    [
      '/fr/guides/franceconnect',
      'Écrit d’après le dépliant imprimé en arabe et en dari\u00a0; pas encore vérifié par un relecteur natif. Cette page sert de référence',
    ],
    ['/ar/guides/cnops', 'كُتبت انطلاقًا من المطوية المطبوعة باللغة العربية، التي تعرض شاشات الموقع باللغة الفرنسية؛ ولم يراجعها بعدُ مدقّقٌ من أهل اللغة.'],
    ['/ar/guides/aidants-connect', 'الصفحة المرجعية هي الصفحة باللغة <a href="/fr/guides/aidants-connect" hreflang="fr">الفرنسية</a>.'],
    ['/prs/guides/franceconnect', 'صفحه مرجع، صفحه به زبان <a href="/fr/guides/franceconnect" hreflang="fr">فرانسوی</a> است.'],
    ['/ps/tools/identity-provider', 'له فرانسوي او دري متن څخه د ماشیني ژباړې په مرسته ژباړل شوی'],
    ['/ps/guides/aidants-connect', 'مرجع پاڼه هغه ده چې په <a href="/fr/guides/aidants-connect" hreflang="fr">فرانسوي</a> ژبه ده.'],
    [
      '/en/guides/cnss-self-employed',
      'Translated from French; not yet checked by a native editor. The reference is the page in <a href="/fr/guides/cnss-self-employed" hreflang="fr">French</a>.',
    ],
  ])('%s says it in words a reader of that language reads', async (path, words) => {
    expect(lineOf((await request(app).get(path)).text)!.html).toContain(words);
  });
  // That no page of the whole crawl claims a review nobody made is checked with its HTML (quality.test.ts).
});
