import { join, relative, resolve } from 'node:path';
import { type Catalogue, loadContentGently } from './content/catalogue.js';
import { ContentError } from './content/read.js';
import { type Checked, hasSnapshot, readSnapshot } from './content/snapshot.js';
import { createI18n, type I18n } from './i18n.js';
import { loadLanguages, type Registry } from './languages.js';

export interface Site {
  root: string;
  /** The guides' folder (CONTENT_DIR): content/ unless a preview or a test points elsewhere. */
  contentDir: string;
  registry: Registry;
  i18n: I18n;
  catalogue: Catalogue;
  /** Where the checked content came from: its files, checked now, or a release's snapshot, checked by the build. */
  contentFrom: 'files' | 'release';
}

/**
 * Everything read from disk once at start: languages, UI strings, guides. Throws ContentError on
 * broken content. With `snapshot`, the checked content of a release made from these very files
 * (the caller compared the versions), read without parsing and checking it again.
 */
export async function loadSite(root: string, content = 'content', snapshot?: string, checked?: Checked): Promise<Site> {
  const localesDir = join(root, 'locales');
  const contentDir = resolve(root, content);
  const registry = checked?.registry ?? loadLanguages(localesDir);
  const i18n = await createI18n(localesDir, registry);
  const contentFrom = snapshot && hasSnapshot(snapshot) ? 'release' : 'files';
  // `checked`: the content as a publish has just checked it (a copy of these very files), not checked again.
  const catalogue = checked?.catalogue ?? (contentFrom === 'release' ? readSnapshot(snapshot!, registry) : await loadContentGently(contentDir, registry, root));
  const missing = catalogue.guides.flatMap((g) =>
    registry.all
      .filter((l) => !i18n.has(l.id, `countries.${g.country}`))
      .map((l) => ({
        file: relative(root, join(contentDir, 'guides', g.slug, 'guide.yaml')),
        path: 'country',
        message: `"${g.country}" has no name in locales/${l.id}/common.json (countries.${g.country})`,
      })),
  );
  // Pages name languages in the reader's language (where a text came from, its reference).
  for (const l of registry.all) {
    for (const named of registry.all) {
      if (!i18n.has(l.id, `languageNames.${named.id}`))
        missing.push({
          file: `locales/${l.id}/common.json`,
          path: `languageNames.${named.id}`,
          message: `missing: the name of ${named.name} in this language`,
        });
    }
  }
  if (missing.length) throw new ContentError(missing);
  return { root, contentDir, registry, i18n, catalogue, contentFrom };
}
