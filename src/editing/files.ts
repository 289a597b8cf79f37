import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import { type Catalogue, type Guide, loadContentGently } from '../content/catalogue.js';
import { HISTORY_FILE } from '../content/history.js';
import { guideFields } from '../content/parts.js';
import { type ContentIssue, ContentError, flattenTexts, readYaml } from '../content/read.js';
import { GuideSchema } from '../content/schema.js';
import { textHash } from '../content/translations.js';
import type { Language, Registry } from '../languages.js';
import type { Change } from '../store/changes.js';
import { setGuideField, setText, setTextRecords } from './yaml-text.js';

/** The file of a guide's texts in one language. */
export const textFile = (contentDir: string, guide: string, language: string) => join(contentDir, 'guides', guide, `${language}.yaml`);

/** A change of a fact of guide.yaml: it has no language. */
export const FACTS = '';

/**
 * A guide's texts in one language as written in its file (markup and all), in the file's order:
 * the order of reading; with no language (FACTS), what editors change in guide.yaml: its facts'
 * values, as facts.<id>, then its other fields (content/parts.ts guideFields; empty if unset).
 */
export function fileTexts(contentDir: string, guide: string, language: string): Map<string, string> {
  const ignore = () => undefined;
  if (language === FACTS) {
    const parsed = GuideSchema.safeParse(readYaml(join(contentDir, 'guides', guide, 'guide.yaml'), '', ignore));
    if (!parsed.success) return new Map<string, string>();
    const g = parsed.data;
    // Each field's value is a string of the schema (a date, an address, a period, a status), or absent.
    const at = (path: Array<string | number>) =>
      path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], g) as string | undefined;
    return new Map([
      ...Object.entries(g.facts).map(([id, f]): [string, string] => [`facts.${id}`, String(f.value)]),
      ...[...guideFields(g)].flatMap(([id, field]): Array<[string, string]> => {
        const value = at(field.path) ?? '';
        // An item's status only where it is withdrawn or new: marking one as it is in the leaflet, or a
        // current one withdrawn or new, removes or adds its notice texts (a developer's change for now).
        return field.item && value === 'current' ? [] : [[id, value]];
      }),
    ]);
  }
  const tree = readYaml(textFile(contentDir, guide, language), '', ignore);
  return tree === undefined ? new Map<string, string>() : flattenTexts(tree, '', ignore);
}

/** A translation editors write in a guide: a language it declares or a draft one (its file, not yet declared), not its reference. */
export const translates = (guide: Guide, language: Language) => language !== guide.reference && guide.texts.has(language.id);

/**
 * The texts an editor writes in a language, in reading order: its file's; for a translation, every
 * text of the reference, one the file does not have yet (a draft language's missing text) empty.
 */
export function languageTexts(contentDir: string, guide: { slug: string; reference: { id: string } }, language: string): Map<string, string> {
  const own = fileTexts(contentDir, guide.slug, language);
  if (language === FACTS || language === guide.reference.id) return own;
  return new Map([...fileTexts(contentDir, guide.slug, guide.reference.id).keys()].map((id) => [id, own.get(id) ?? '']));
}

/** The published text of each change today (a text its language does not have yet: empty), each file read once. */
export function publishedNow(contentDir: string, changes: readonly Change[]): Map<Change, string | undefined> {
  const files = new Map<string, Map<string, string>>();
  return new Map(
    changes.map((c) => {
      const key = `${c.guide}/${c.language}`;
      let texts = files.get(key);
      if (!texts) files.set(key, (texts = fileTexts(contentDir, c.guide, c.language)));
      return [c, texts.get(c.text_id) ?? (c.language === FACTS ? undefined : '')];
    }),
  );
}

/** The files a set of changes rewrites, by path, each with every change written into it; nothing is written to disk. */
export function changedFiles(contentDir: string, changes: readonly Change[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of changes) {
    const fact = c.language === FACTS;
    const path = fact ? join(contentDir, 'guides', c.guide, 'guide.yaml') : textFile(contentDir, c.guide, c.language);
    const source = files.get(path) ?? readFileSync(path, 'utf8');
    const checked = c.source && c.checked ? { source: c.source, date: c.checked } : {};
    files.set(path, fact ? setGuideField(source, c.text_id, { value: c.value, ...checked }) : setText(source, c.text_id.split('.'), c.value));
  }
  return files;
}

/**
 * The content copied to a folder of its own with these files written in (nothing of the content
 * folder itself changes), to check or render it as it would be: where the copy is, the problems of
 * the copy named as the same check of the content folder names them, and `remove` when done.
 */
export function contentCopy(contentDir: string, root: string, files: ReadonlyMap<string, string>) {
  const scratch = mkdtempSync(join(tmpdir(), 'dalil-content-'));
  const copy = join(scratch, 'content');
  const remove = () => rmSync(scratch, { recursive: true, force: true });
  try {
    cpSync(contentDir, copy, { recursive: true, filter: (p) => !p.split(/[\\/]/).includes('.git') });
    for (const [path, source] of files) writeFileSync(join(copy, relative(contentDir, path)), source);
  } catch (error) {
    remove();
    throw error;
  }
  // Issues name files relative to the folder the check was given (the copy's: scratch; or the project's).
  const named = (issues: readonly ContentIssue[], base = scratch) =>
    issues.map((i) => ({ ...i, file: relative(root, join(contentDir, relative(copy, join(base, i.file)))) }));
  return { copy, scratch, named, remove };
}

/**
 * What the content check says of the content with these files replaced, as the server and
 * `npm run content:check` check it, on a copy of the content (contentCopy).
 */
export async function checkFiles(
  contentDir: string,
  registry: Registry,
  root: string,
  files: ReadonlyMap<string, string>,
): Promise<{ issues: ContentIssue[]; catalogue?: Catalogue }> {
  const { copy, scratch, named, remove } = contentCopy(contentDir, root, files);
  try {
    // Guide by guide, letting the server answer readers meanwhile: 200 guides take seconds.
    return { issues: [], catalogue: await loadContentGently(copy, registry, scratch) };
  } catch (error) {
    if (!(error instanceof ContentError)) throw error;
    return { issues: named(error.issues) };
  } finally {
    remove();
  }
}

/** What a publish records beside the texts: the day, the one line and its language, who wrote it. */
export interface PublishMeta {
  date: string;
  summary: string;
  language: string;
  author: string;
}

/**
 * Every file a publish of these changes writes, by path: the texts and facts, each guide's
 * changes.yaml, and translations.yaml where a translation is published (each one's record against
 * the reference text as it will be). The preview shows the same files.
 */
export function publishFiles(contentDir: string, changes: readonly Change[], meta: PublishMeta): Map<string, string> {
  const files = changedFiles(contentDir, changes);
  for (const [path, source] of historyFiles(contentDir, changes, meta)) files.set(path, source);
  for (const guide of new Set(changes.map((c) => c.guide))) {
    // The guide's reference language, as the content model reads it (French when guide.yaml does not say).
    const declared = (readYaml(join(contentDir, 'guides', guide, 'guide.yaml'), '', () => undefined) as { reference?: unknown } | undefined)?.reference;
    const reference = GuideSchema.shape.reference.parse(declared);
    // A draft language (its file, not yet in `languages`) has no entry: it gets one when it is declared.
    const path = join(contentDir, 'guides', guide, 'translations.yaml');
    const translations = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const entries = (parse(translations) ?? {}) as Record<string, unknown>;
    const translated = changes.filter((c) => c.guide === guide && c.language !== FACTS && c.language !== reference && Object.hasOwn(entries, c.language));
    if (!translated.length) continue;
    const referencePath = textFile(contentDir, guide, reference);
    const referenceTexts = flattenTexts(parse(files.get(referencePath) ?? readFileSync(referencePath, 'utf8')) as unknown, '', () => undefined);
    const records = translated.map((c): [string, string, object] => [
      c.language,
      c.text_id,
      {
        hash: textHash(referenceTexts.get(c.text_id) ?? ''),
        status: c.mark === 'reviewed' ? 'reviewed' : c.mark === 'confirmed' ? 'confirmed' : 'translated',
        by: meta.author,
        date: meta.date,
      },
    ]);
    files.set(path, setTextRecords(translations, records));
  }
  return files;
}

/** The changes of guide.yaml that need where and when they were checked: a fact, an item's status. */
const NEEDS_SOURCE = /^(facts|status)\./;

/**
 * What the content check says of these changes, as the content would be with them; and a changed
 * fact without its source and date. The answers for the last few sets of changes are kept (the
 * content files change only by a publish, and a publish makes the editors' routes again): showing a
 * draft again does not check the whole content again.
 */
export function draftChecker(deps: { contentDir: string; registry: Registry; root: string }) {
  const checked = new Map<string, Promise<ContentIssue[]>>();
  const checkNow = async (changes: readonly Change[]): Promise<ContentIssue[]> => {
    if (!changes.length) return [];
    const unsourced = changes
      .filter((c) => c.language === FACTS && NEEDS_SOURCE.test(c.text_id) && (!c.source || !c.checked))
      .map((c) => ({
        file: relative(deps.root, join(deps.contentDir, 'guides', c.guide, 'guide.yaml')),
        path: c.text_id,
        message: 'a changed fact needs where it was checked (its source) and the day',
      }));
    try {
      return [...unsourced, ...(await checkFiles(deps.contentDir, deps.registry, deps.root, changedFiles(deps.contentDir, changes))).issues];
    } catch (error) {
      return [...unsourced, { file: '', path: '', message: (error as Error).message }];
    }
  };
  return (changes: readonly Change[]): Promise<ContentIssue[]> => {
    const key = JSON.stringify(changes.map((c) => [c.guide, c.language, c.text_id, c.value, c.source, c.checked]));
    let issues = checked.get(key);
    if (!issues) {
      issues = checkNow(changes);
      if (checked.size >= 16) checked.delete(checked.keys().next().value!);
      checked.set(key, issues);
    }
    return issues;
  };
}

const HISTORY_HEADER = `# What changed in this guide, newest first: each publish from the editors' area adds an entry
# (the day, the languages and texts changed, the editor's one line in the language it was written
# in). Readers see it under "About this page".
`;

/**
 * Each guide's changes.yaml with an entry for this publish on top (the file made if there is none):
 * the day, the languages and texts changed in that guide, and the summary in its language.
 */
export function historyFiles(contentDir: string, changes: readonly Change[], entry: { date: string; summary: string; language: string }): Map<string, string> {
  const files = new Map<string, string>();
  for (const guide of [...new Set(changes.map((c) => c.guide))]) {
    const mine = changes.filter((c) => c.guide === guide);
    const path = join(contentDir, 'guides', guide, HISTORY_FILE);
    const source = existsSync(path) ? readFileSync(path, 'utf8') : HISTORY_HEADER;
    const item = stringify(
      [
        {
          date: entry.date,
          languages: [...new Set(mine.filter((c) => c.language !== FACTS).map((c) => c.language))],
          texts: [...new Set(mine.filter((c) => c.language !== FACTS).map((c) => c.text_id))],
          ...(mine.some((c) => c.language === FACTS) ? { facts: mine.filter((c) => c.language === FACTS).map((c) => c.text_id.replace(/^facts\./, '')) } : {}),
          summary: entry.language ? { [entry.language]: entry.summary } : {},
        },
      ],
      { lineWidth: 0 },
    );
    // After the comments at the top, before the newest entry; an empty list ("[]") is replaced.
    const head = /^(?:#[^\n]*\n|\s*\n)*/.exec(source)![0];
    const rest = source.slice(head.length).replace(/^\[\]\s*$/, '');
    files.set(path, head + item + rest);
  }
  return files;
}
