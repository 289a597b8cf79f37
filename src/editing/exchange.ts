import type { Catalogue, Guide } from '../content/catalogue.js';
import { stepOfTexts } from '../content/parts.js';
import type { Language, Registry } from '../languages.js';
import type { Change } from '../store/changes.js';
import { changedFiles, checkFiles, fileTexts } from './files.js';
import { readXliff, writeXliff, XliffError } from './xliff.js';

/**
 * Working with professional translators: a guide's texts in a language as XLIFF 2.0 (one unit a
 * text, the reference text as source, the translation as target, a note with where the text is on
 * the page and where the guide's facts come from), and a translated file back as changes, checked
 * as every draft is. Used by `npm run xliff` and by the editors' area.
 */
export async function exportXliff(contentDir: string, guide: Guide, language: Language, options: { outdated?: boolean } = {}): Promise<string> {
  const source = fileTexts(contentDir, guide.slug, guide.reference.id);
  const target = fileTexts(contentDir, guide.slug, language.id);
  const outdated = new Set(guide.provenance.get(language.id)?.changed ?? []);
  const steps = stepOfTexts(guide.sections);
  const origin = guide.checkedUrl ?? guide.site;
  return writeXliff({
    sourceLanguage: guide.reference.id,
    targetLanguage: language.id,
    file: guide.slug,
    units: [...source]
      .filter(([id]) => !options.outdated || outdated.has(id))
      .map(([id, text]) => ({
        id,
        source: text,
        ...(target.has(id) ? { target: target.get(id)! } : {}),
        note: [
          `Guide "${guide.slug}", part "${id.split('.')[0]}"${steps.get(id) ? `, step ${steps.get(id)}` : ''}.`,
          outdated.has(id) ? `The ${guide.reference.id} text changed since this translation was written.` : '',
          `Facts checked against ${origin} on ${guide.checkedDate}. Keep the inline codes (**, links, {facts}, {fr:…}).`,
        ]
          .filter(Boolean)
          .join(' '),
      })),
  });
}

/**
 * The changes a translated XLIFF file makes to the published texts (none if nothing differs),
 * each checked as the content check checks a draft; or an XliffError listing every problem, each
 * naming its unit. The guide and language are the file's own (<file id>, trgLang).
 */
export async function importXliff(
  deps: { contentDir: string; catalogue: Catalogue; registry: Registry; root: string },
  xml: string,
): Promise<{ guide: Guide; language: Language; changes: Change[] }> {
  // Which guide and language the file says it holds, read before anything parses it (readXliff refuses a hostile file).
  const slug = /<file\b[^>]*\bid="([^"]{1,100})"/.exec(xml)?.[1] ?? '';
  const target = /<xliff\b[^>]*\btrgLang="([^"]{1,20})"/.exec(xml)?.[1] ?? '';
  const guide = deps.catalogue.get(slug);
  const language = deps.registry.get(target);
  if (!/<!(DOCTYPE|ENTITY)/i.test(xml)) {
    if (!guide) throw new XliffError([`the file names no guide of Dalil (<file id="${slug.slice(0, 40)}">): export it from Dalil again`]);
    if (!language || !guide.languages.includes(language) || language === guide.reference)
      throw new XliffError([`the file's target language ("${target.slice(0, 20)}") is not a translation of the guide "${guide.slug}"`]);
  }
  const g = guide ?? deps.catalogue.guides[0]!;
  const l = language ?? g.reference;
  const source = fileTexts(deps.contentDir, g.slug, g.reference.id);
  const published = fileTexts(deps.contentDir, g.slug, l.id);
  const units = await readXliff(xml, {
    sourceLanguage: g.reference.id,
    targetLanguage: l.id,
    file: g.slug,
    current: (id) => (source.has(id) ? { source: source.get(id)!, ...(published.has(id) ? { target: published.get(id)! } : {}) } : undefined),
  });
  const changes = units
    .filter((u) => published.has(u.id))
    .map((u): Change => ({ guide: g.slug, language: l.id, text_id: u.id, base: published.get(u.id)!, value: u.target }));
  if (!changes.length) return { guide: g, language: l, changes };
  // The texts as they would be, checked as a draft is: markup, links, facts, orthography of the language.
  const issues = checkFiles(deps.contentDir, deps.registry, deps.root, changedFiles(deps.contentDir, changes));
  if (issues.length) throw new XliffError(issues.map((i) => `unit ${i.path || '(whole file)'}: ${i.message}`));
  return { guide: g, language: l, changes };
}
