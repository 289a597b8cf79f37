import type nunjucks from 'nunjucks';
import type { I18n } from '../i18n.js';
import type { Language } from '../languages.js';
import { urls } from '../urls.js';
import type { Assets } from './assets.js';

export interface RenderDeps {
  views: nunjucks.Environment;
  i18n: I18n;
  assets: Assets;
  /** The public origin: hreflang links and the picker's absolute address. */
  baseUrl: string;
}

export interface Page {
  template: string;
  /** The language the page is written in. */
  language: Language;
  /** The languages this page exists in (language switcher and hreflang links), with its path in each. */
  versions: Array<{ language: Language; path: string }>;
  title: string;
  status?: number;
  /** Extra values for the template. */
  data?: Record<string, unknown>;
  /** Set when the language was chosen from Accept-Language, so caches keep one copy per language. */
  negotiated?: boolean;
}

/** A page in its language, as HTML: the template with what every page receives (strings, versions, assets). */
export function renderPage(deps: RenderDeps, page: Page): string {
  const { language } = page;
  return deps.views.render(page.template, {
    ...page.data,
    t: deps.i18n.t(language.id),
    title: page.title,
    locale: { id: language.id, lang: language.lang, dir: language.dir, name: language.name },
    versions: page.versions.map((v) => ({
      id: v.language.id,
      lang: v.language.lang,
      dir: v.language.dir,
      name: v.language.name,
      path: v.path,
      href: deps.baseUrl + v.path,
      current: v.language === language,
    })),
    home: urls.home(language),
    manifest: urls.manifest(language),
    icon: urls.icon,
    pickerHref: deps.baseUrl + urls.picker,
    assets: deps.assets.urls,
  });
}
