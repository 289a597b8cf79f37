import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalogue, Guide } from '../content/catalogue.js';
import { stepOfTexts } from '../content/parts.js';
import type { Language, Registry } from '../languages.js';
import type { Change } from '../store/changes.js';
import { changedFiles, checkFiles, fileTexts, languageTexts, translates } from './files.js';
import { peekXliff, readXliff, writeXliff, XliffError } from './xliff.js';

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
      // Only the texts to do: older than their reference text, or (a draft language's) not written yet.
      .filter(([id]) => !options.outdated || outdated.has(id) || !target.has(id))
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
  const { file: slug, target } = peekXliff(xml);
  const g = deps.catalogue.get(slug);
  const l = deps.registry.get(target);
  if (!g) throw new XliffError([`the file names no guide of Dalil (<file id="${slug.slice(0, 40)}">): export it from Dalil again`]);
  if (!l || !translates(g, l)) throw new XliffError([`the file's target language ("${target}") is not a translation of the guide "${g.slug}"`]);
  const source = fileTexts(deps.contentDir, g.slug, g.reference.id);
  const published = languageTexts(deps.contentDir, g, l.id);
  const units = await readXliff(xml, {
    sourceLanguage: g.reference.id,
    targetLanguage: l.id,
    file: g.slug,
    current: (id) => (source.has(id) ? { source: source.get(id)!, ...(published.get(id) ? { target: published.get(id)! } : {}) } : undefined),
  });
  const changes = units
    .filter((u) => published.has(u.id))
    .map((u): Change => ({ guide: g.slug, language: l.id, text_id: u.id, base: published.get(u.id)!, value: u.target }));
  if (!changes.length) return { guide: g, language: l, changes };
  // The texts as they would be, checked as a draft is: markup, links, facts, orthography of the language.
  const { issues } = await checkFiles(deps.contentDir, deps.registry, deps.root, changedFiles(deps.contentDir, changes));
  if (issues.length) throw new XliffError(issues.map((i) => `unit ${i.path || '(whole file)'}: ${i.message}`));
  return { guide: g, language: l, changes };
}

/** The interface's strings as XLIFF "files": one <file id="ui">, the first language's as source. */
export const UI = 'ui';

/** A locale file's strings by their dotted key, in file order. */
function uiStrings(root: string, language: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: unknown, prefix: string) => {
    if (typeof node === 'string') out.set(prefix, node);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(JSON.parse(readFileSync(join(root, 'locales', language, 'common.json'), 'utf8')), '');
  return out;
}

/** The interface's strings (locales/<id>/common.json) for translators, the first language's as the source. */
export async function exportUiXliff(root: string, registry: Registry, language: Language): Promise<string> {
  const reference = registry.all[0]!;
  const source = uiStrings(root, reference.id);
  const target = uiStrings(root, language.id);
  return writeXliff({
    sourceLanguage: reference.id,
    targetLanguage: language.id,
    file: UI,
    units: [...source].map(([id, text]) => ({
      id,
      source: text,
      ...(target.has(id) ? { target: target.get(id)! } : {}),
      note: `Interface string "${id}". Keep the inline codes ({{name}}: a value put in by the site).`,
    })),
  });
}

/**
 * A translated file of interface strings written into locales/<id>/common.json (a developer's
 * change, reviewed in git like all code; the keys and their order kept). Returns the keys changed.
 */
export async function importUiXliff(root: string, registry: Registry, xml: string): Promise<string[]> {
  const reference = registry.all[0]!;
  const { target } = peekXliff(xml);
  const l = registry.get(target);
  if (!l || l === reference) throw new XliffError([`the file's target language ("${target}") is not a language of the site other than ${reference.id}`]);
  const source = uiStrings(root, reference.id);
  const current = uiStrings(root, l.id);
  const units = await readXliff(xml, {
    sourceLanguage: reference.id,
    targetLanguage: l.id,
    file: UI,
    current: (id) => (source.has(id) ? { source: source.get(id)!, ...(current.has(id) ? { target: current.get(id)! } : {}) } : undefined),
  });
  if (!units.length) return [];
  const path = join(root, 'locales', l.id, 'common.json');
  const tree = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const { id, target: text } of units) {
    const keys = id.split('.');
    let node = tree;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = text;
  }
  writeFileSync(path, `${JSON.stringify(tree, null, 2)}\n`);
  return units.map((u) => u.id);
}
