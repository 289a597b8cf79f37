import { join } from 'node:path';
import { type Catalogue, loadContent } from './content/catalogue.js';
import { ContentError } from './content/read.js';
import { createI18n, type I18n } from './i18n.js';
import { loadLanguages, type Registry } from './languages.js';

export interface Site {
  root: string;
  registry: Registry;
  i18n: I18n;
  catalogue: Catalogue;
}

/** Everything read from disk once at start: languages, UI strings, guides. Throws ContentError on broken content. */
export async function loadSite(root: string): Promise<Site> {
  const localesDir = join(root, 'locales');
  const registry = loadLanguages(localesDir);
  const i18n = await createI18n(localesDir, registry);
  const catalogue = loadContent(join(root, 'content'), registry, root);
  const missing = catalogue.guides.flatMap((g) =>
    registry.all
      .filter((l) => !i18n.has(l.id, `countries.${g.country}`))
      .map((l) => ({
        file: join('content/guides', g.slug, 'guide.yaml'),
        path: 'country',
        message: `"${g.country}" has no name in locales/${l.id}/common.json (countries.${g.country})`,
      })),
  );
  if (missing.length) throw new ContentError(missing);
  return { root, registry, i18n, catalogue };
}
