import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadContent } from '../../src/content/catalogue.js';
import { ContentError } from '../../src/content/read.js';
import { freshnessReport } from '../../src/content/report.js';
import { textHash } from '../../src/content/translations.js';
import { createI18n } from '../../src/i18n.js';
import { loadLanguages } from '../../src/languages.js';
import { provenanceLine } from '../../src/view-models/provenance.js';
import { ROOT } from '../helpers.js';

const registry = loadLanguages(join(ROOT, 'locales'));
const FIXTURE = join(ROOT, 'test/fixtures/content');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the fixture content with one file changed, loaded as the server loads content. */
function loadWith(file: string, change: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'dalil-content-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const path = join(dir, 'guides/sample', file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
  return () => loadContent(dir, registry, dir);
}

function issuesOf(load: () => unknown) {
  try {
    load();
  } catch (e) {
    if (e instanceof ContentError) return e.issues;
    throw e;
  }
  throw new Error('the broken content was accepted');
}

describe('content loading', () => {
  it('loads the fixture guide with its languages, facts and numbered steps', () => {
    const catalogue = loadContent(FIXTURE, registry, FIXTURE);
    const g = catalogue.get('sample')!;
    expect(g.languages.map((l) => l.id)).toEqual(['fr', 'prs', 'en']);
    expect(g.stepCount).toBe(2);
    expect(catalogue.coverage.every((c) => c.covered === c.total && c.total === 9)).toBe(true);
  });

  it.each([
    ['guide.yaml', (s: string) => s.replace('country: FR', 'country: France'), 'guides/sample/guide.yaml', 'country', /ISO 3166/],
    ['guide.yaml', (s: string) => s.replace('slug: sample', 'slug: other'), 'guides/sample/guide.yaml', 'slug', /folder is "sample"/],
    [
      'guide.yaml',
      (s: string) => s.replace('{ type: text, id: intro.body }', '{ type: paragraph, id: intro.body }'),
      'guides/sample/guide.yaml',
      'sections[0].blocks[0].type',
      /./,
    ],
    ['guide.yaml', (s: string) => s.replace('date: 2026-01-15', 'date: 15/01/2026'), 'guides/sample/guide.yaml', 'checked.date', /YYYY-MM-DD/],
    ['guide.yaml', (s: string) => s.replace('[fr, prs, en]', '[fr, prs, en, de]'), 'guides/sample/guide.yaml', 'languages[3]', /"de" is not a language/],
    ['guide.yaml', (s: string) => s.replace('[fr, prs, en]', '[fr, prs, en, ar]'), 'guides/sample/ar.yaml', '', /file not found/],
    [
      'guide.yaml',
      (s: string) => s.replace('site: https://www.example.gouv.fr/', 'site: https://evil.example.com/'),
      'guides/sample/guide.yaml',
      'site',
      /not on a domain/,
    ],
    [
      'guide.yaml',
      (s: string) => s.replace('slug: sample\n', 'slug: sample\n  oops: [\n'),
      'guides/sample/guide.yaml',
      'line 1, column 7',
      /^YAML syntax: Nested mappings are not allowed in compact mappings$/,
    ],
    [
      'guide.yaml',
      (s: string) =>
        s.replace('sections:', 'screens:\n  s1:\n    title: Écran\n    fields:\n      - { type: text, label: "رقم الهاتفی", lang: ar }\nsections:'),
      'guides/sample/guide.yaml',
      'screens.s1.fields[0].label',
      /"ی" \(U\+06CC, Persian yeh\) is not العربية orthography/,
    ],
    [
      'guide.yaml',
      (s: string) =>
        s.replace(
          'sections:',
          'screens:\n  s1:\n    title: Écran\n    fields:\n      - { type: text, label: "Numéro", also: { text: "رقم", lang: fr } }\nsections:',
        ),
      'guides/sample/guide.yaml',
      'screens.s1.fields[0].also',
      /Arabic-script text in Français/,
    ],
    [
      'guide.yaml',
      (s: string) => s.replace('          - id: how.open', '          - id: how.open\n            screens: [nope]'),
      'guides/sample/guide.yaml',
      'sections[1].blocks[0].steps[0].screens[0]',
      /"nope" is not a screen/,
    ],
    [
      'guide.yaml',
      (s: string) => s.replace('go: { kind: ui, value: "Valider" }', 'go: { kind: ui, value: "Valider", lang: xx }'),
      'guides/sample/guide.yaml',
      'facts.go.value',
      /"xx" is not a language/,
    ],
    ['fr.yaml', (s: string) => s.replace('  open: Ouvrez le site.\n', ''), 'guides/sample/fr.yaml', 'how.open', /missing/],
    ['fr.yaml', (s: string) => `${s}  extra: Texte en trop.\n`, 'guides/sample/fr.yaml', 'how.extra', /unknown id/],
    ['fr.yaml', (s: string) => s.replace('{go}', '{gone}'), 'guides/sample/fr.yaml', 'how.go', /\{gone\} is not a fact/],
    ['fr.yaml', (s: string) => s.replace('{go}', '{go'), 'guides/sample/fr.yaml', 'how.go', /never closed/],
    ['fr.yaml', (s: string) => s.replace('Ouvrez le site.', 'Ouvrez le **site.'), 'guides/sample/fr.yaml', 'how.open', /never closed/],
    [
      'fr.yaml',
      (s: string) => s.replace('https://www.example.gouv.fr/aide', 'https://evil.example.com/'),
      'guides/sample/fr.yaml',
      'intro.body',
      /domain listed/,
    ],
    ['fr.yaml', (s: string) => s.replace('https://www.example.gouv.fr/aide', 'javascript:alert(1)'), 'guides/sample/fr.yaml', 'intro.body', /http\(s\)/],
    [
      'fr.yaml',
      (s: string) => s.replace('https://www.example.gouv.fr/aide', 'data:text/html;base64,PHNjcmlwdD4='),
      'guides/sample/fr.yaml',
      'intro.body',
      /http\(s\)/,
    ],
    [
      'fr.yaml',
      (s: string) => s.replace('https://www.example.gouv.fr/aide', 'http://www.example.gouv.fr.evil.com/'),
      'guides/sample/fr.yaml',
      'intro.body',
      /domain listed/,
    ],
    ['fr.yaml', (s: string) => s.replace('Ouvrez le site.', ''), 'guides/sample/fr.yaml', 'how.open', /empty/],
    ['fr.yaml', (s: string) => s.replace('title: Étapes', 'title: Étapes, {phone}'), 'guides/sample/fr.yaml', 'how.title', /cannot hold a link/],
    [
      'prs.yaml',
      (s: string) => s.replace('سایت را باز کنید.', 'سايت را باز كنيد.'),
      'guides/sample/prs.yaml',
      'how.open',
      /"ي" \(U\+064A.*not دری orthography: write ی/,
    ],
    ['prs.yaml', (s: string) => s.replace('سایت رسمی', 'ھمکار'), 'guides/sample/prs.yaml', 'intro.body', /U\+06BE/],
    ['prs.yaml', (s: string) => s.replace('یک کار', '۲ کار'), 'guides/sample/prs.yaml', 'summary', /Western digits/],
    ['prs.yaml', (s: string) => s.replace('سایت رسمی', 'ملاحظة'), 'guides/sample/prs.yaml', 'intro.body', /"ة" \(U\+0629, teh marbuta/],
    ['en.yaml', (s: string) => s.replace('Open the site.', 'Open the site سایت.'), 'guides/sample/en.yaml', 'how.open', /Arabic-script text in English/],
    ['en.yaml', (s: string) => s.replace('{fr:numéro fiscal}', '{de:Steuernummer}'), 'guides/sample/en.yaml', 'intro.body', /\{de:…\} names no language/],
  ])('%s broken (%#) is rejected naming %s, path %s', (file, change, expectedFile, path, message) => {
    const issues = issuesOf(loadWith(file, change));
    expect(issues.filter((i) => i.file === expectedFile && i.path === path && message.test(i.message))).not.toEqual([]);
  });

  it('names the file, the path and the problem in the error message', () => {
    const load = loadWith('fr.yaml', (s) => s.replace('{go}', '{gone}'));
    expect(load).toThrow('guides/sample/fr.yaml: how.go: {gone} is not a fact of guide.yaml');
  });

  it('reports a draft language (a file not yet declared) as coverage, not as an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dalil-content-'));
    dirs.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'guides/sample/ar.yaml'), 'title: مثال\nsummary: إجراء على سبيل المثال.\n');
    const catalogue = loadContent(dir, registry, dir);
    expect(catalogue.coverage.find((c) => c.language === 'ar')).toEqual({ slug: 'sample', language: 'ar', declared: false, covered: 2, total: 9 });
    expect(catalogue.get('sample')!.languages.map((l) => l.id)).not.toContain('ar');
  });
});

describe('links to Dalil’s own pages in guide text', () => {
  it('renders to the page in the reader’s language when it exists', () => {
    const catalogue = loadWith('en.yaml', (s) => s.replace('Open the site.', 'Open the site ([steps](guide:sample#how)).'))();
    expect(catalogue.get('sample')!.texts.get('en')!.get('how.open')).toContainEqual({
      t: 'link',
      href: 'guide:sample#how',
      children: [{ t: 'text', v: 'steps' }],
    });
  });

  it.each([
    ['tool:nope', /"tool:nope" names no guide, section or tool/],
    ['guide:sample#nope', /"guide:sample#nope" names no guide, section or tool/],
    ['guide:elsewhere', /"guide:elsewhere" names no guide, section or tool/],
  ])('refuses %s, naming the file and the text id', (ref, message) => {
    const issues = issuesOf(loadWith('en.yaml', (s) => s.replace('Open the site.', `Open the [site](${ref}).`)));
    expect(issues.filter((i) => i.file === 'guides/sample/en.yaml' && i.path === 'how.open' && message.test(i.message))).not.toEqual([]);
  });
});

it('refuses a link to a page that does not exist in the text’s language', () => {
  const load = loadWith('prs.yaml', (s) => s.replace('سایت را باز کنید.', 'سایت را باز کنید ([رهنمود](guide:other)).'));
  // A second guide, written in French only.
  const dir = dirs.at(-1)!;
  cpSync(join(dir, 'guides/sample'), join(dir, 'guides/other'), { recursive: true });
  const guide = join(dir, 'guides/other/guide.yaml');
  writeFileSync(guide, readFileSync(guide, 'utf8').replace('slug: sample', 'slug: other').replace('languages: [fr, prs, en]', 'languages: [fr]'));
  for (const l of ['prs', 'en']) rmSync(join(dir, `guides/other/${l}.yaml`));
  const issues = issuesOf(load);
  expect(issues).toEqual([{ file: 'guides/sample/prs.yaml', path: 'how.open', message: '"guide:other" does not exist in دری' }]);
});

describe("where each language's text came from (translations.yaml)", () => {
  /** The fixture with its English text recorded as reviewed by a person, against today's French texts. */
  function stamped(by: string, changeFrench?: (s: string) => string) {
    const dir = mkdtempSync(join(tmpdir(), 'dalil-content-'));
    dirs.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    const guide = join(dir, 'guides/sample');
    const french = new Map(Object.entries(flat(parse(readFileSync(join(guide, 'fr.yaml'), 'utf8')) as Record<string, unknown>)));
    const texts = Object.fromEntries([...french].map(([id, text]) => [id, textHash(text)]));
    writeFileSync(
      join(guide, 'translations.yaml'),
      stringify({
        fr: { status: 'leaflet', from: ['prs'] },
        prs: { status: 'leaflet' },
        en: { status: 'reviewed', by, date: '2026-01-20', texts },
      }),
    );
    if (changeFrench) writeFileSync(join(guide, 'fr.yaml'), changeFrench(readFileSync(join(guide, 'fr.yaml'), 'utf8')));
    return () => loadContent(dir, registry, dir).get('sample')!;
  }
  const flat = (tree: Record<string, unknown>, prefix = ''): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(tree)) {
      if (typeof v === 'string') out[`${prefix}${k}`] = v.trim();
      else Object.assign(out, flat(v as Record<string, unknown>, `${prefix}${k}.`));
    }
    return out;
  };

  it('reads leaflet, translated and reviewed entries, with their defaults', () => {
    const g = loadContent(FIXTURE, registry, FIXTURE).get('sample')!;
    expect(g.provenance.get('fr')).toEqual({
      status: 'leaflet',
      from: ['prs'],
      screens: false,
      machineAssisted: false,
      by: undefined,
      date: undefined,
      changed: [],
      since: new Map(),
      texts: {},
    });
    expect(g.provenance.get('prs')).toMatchObject({ status: 'leaflet', from: ['prs'] });
    expect(g.provenance.get('en')).toMatchObject({ status: 'translated', from: ['fr'], machineAssisted: true });
    expect(stamped('Amina Rahimi')().provenance.get('en')).toEqual({
      status: 'reviewed',
      from: [],
      screens: false,
      machineAssisted: false,
      by: 'Amina Rahimi',
      date: '2026-01-20',
      changed: [],
      since: new Map(),
      texts: expect.any(Object) as unknown,
    });
  });

  it('names the reference texts changed since a review; the content check lists them', () => {
    const g = stamped('Amina Rahimi', (s) => s.replace('Ouvrez le site.', 'Ouvrez le site officiel.'))();
    expect(g.provenance.get('en')).toMatchObject({ status: 'reviewed', changed: ['how.open'] });
    const catalogue = { guides: [g] } as unknown as Parameters<typeof freshnessReport>[0];
    expect(freshnessReport(catalogue, '2026-02-01')).toEqual([
      expect.stringContaining('text older than the fr text: sample en: how.open; checked by Amina Rahimi on 2026-01-20'),
    ]);
  });

  it('a review shows the person’s name, isolated, and the day; a French text changed since, it says so', async () => {
    const i18n = await createI18n(join(ROOT, 'locales'), registry);
    const line = (g: ReturnType<ReturnType<typeof stamped>>, id: string) => provenanceLine(g, registry.get(id)!, i18n.t(id), '/fr/guides/sample')!;
    expect(line(stamped('Amina Rahimi')(), 'en')).toEqual({
      status: 'reviewed',
      machineAssisted: false,
      reference: false,
      html: 'Checked by <bdi>Amina Rahimi</bdi> on 20 January 2026. The reference is the page in <a href="/fr/guides/sample" hreflang="fr">French</a>.',
    });
    const changed = stamped('Amina Rahimi', (s) => s.replace('Ouvrez le site.', 'Ouvrez le site officiel.'))();
    expect(line(changed, 'en').html).toContain('Checked by <bdi>Amina Rahimi</bdi> on 20 January 2026; the French text has changed in places since.');
    expect(line(changed, 'prs').html).toContain('از روی بروشور چاپی به زبان دری نوشته شده است');
  });

  it.each(['independent-editor', 'native-editor', 'native editor', 'An independent editor', 'reviewer', 'machine-assisted', 'x', '  '])(
    'refuses a review recorded by "%s": a role is not a person',
    (by) => {
      const issues = issuesOf(stamped(by));
      expect(issues).toEqual([expect.objectContaining({ file: 'guides/sample/translations.yaml', path: 'en.by' })]);
    },
  );

  it.each([
    ['en: { status: reviewed, date: 2026-01-20 }', 'en.by'],
    ['en: { status: unreviewed, by: machine-assisted, date: 2026-01-20 }', 'en.status'],
    ['en: { status: translated }', 'en.machine-assisted'],
    ['en: { status: translated, machine-assisted: false, from: [en] }', 'en.from[0]'],
    ['en: { status: translated, machine-assisted: false, from: [ar] }', 'en.from[0]'],
    ['en: { status: leaflet, from: [xx] }', 'en.from[0]'],
  ])('refuses %s', (line, path) => {
    const issues = issuesOf(loadWith('translations.yaml', (s) => s.replace(/^en: .*$/m, line)));
    expect(issues).toEqual([expect.objectContaining({ file: 'guides/sample/translations.yaml', path })]);
  });

  it('is required for every language, the reference included', () => {
    const issues = issuesOf(loadWith('translations.yaml', (s) => s.replace(/^fr: .*$/m, '')));
    expect(issues).toEqual([expect.objectContaining({ file: 'guides/sample/translations.yaml', path: 'fr' })]);
    expect(issues[0]!.message).toMatch(/^missing: say where the Français text came from/);
  });
});

describe('what each publish changed (changes.yaml)', () => {
  const withHistory = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'dalil-content-'));
    dirs.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    writeFileSync(join(dir, 'guides/sample/changes.yaml'), text);
    return () => loadContent(dir, registry, dir);
  };
  const history = `# made by a publish
- date: 2026-12-06
  languages: [prs]
  texts: [title]
  summary: { prs: عنوان کوتاه‌تر }
- date: 2026-11-30
  languages: [fr, en]
  texts: [title, how.open]
`;
  it('reads the entries, newest first; a guide without the file has none', () => {
    expect(loadContent(FIXTURE, registry, FIXTURE).get('sample')!.history).toEqual([]);
    const g = withHistory(history)().get('sample')!;
    expect(g.history).toEqual([
      { date: '2026-12-06', languages: ['prs'], texts: ['title'], facts: [], summary: { prs: 'عنوان کوتاه‌تر' } },
      { date: '2026-11-30', languages: ['fr', 'en'], texts: ['title', 'how.open'], facts: [], summary: {} },
    ]);
  });

  it.each([
    [(s: string) => s.replace('texts: [title]', 'texts: [nothing.here]'), '[0].texts[0]', '"nothing.here" is not a text of this guide'],
    [(s: string) => s.replace('languages: [prs]', 'languages: [ar]'), '[0].languages[0]', '"ar" is not a language of this guide'],
    [(s: string) => s.replace('2026-12-06', '2026-10-01'), '[1].date', 'the newest entry comes first'],
    [(s: string) => s.replace('2026-12-06', 'yesterday'), '[0].date', 'must be a date written YYYY-MM-DD'],
    [(s: string) => s.replace('texts: [title]', 'texts: []'), '[0]', 'an entry names the texts or facts that changed'],
    [(s: string) => s.replace('texts: [title]', 'texts: []\n  facts: [nope]'), '[0].facts[0]', '"nope" is not a fact or field of this guide'],
  ])('names the file, the entry and the problem (%#)', (change, path, message) => {
    expect(issuesOf(withHistory(change(history)))).toEqual([{ file: 'guides/sample/changes.yaml', path, message }]);
  });
});
