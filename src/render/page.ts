import type { Response } from 'express';
import type nunjucks from 'nunjucks';
import type { TFunction } from 'i18next';
import type { Config } from '../config.js';
import type { I18n } from '../i18n.js';
import type { Language, Registry } from '../locales.js';
import type { Assets } from '../http/assets.js';
import { makeEntry, serve } from '../cache/entry.js';
import { cacheKey } from '../cache/key.js';
import type { PageCache } from '../cache/store.js';
import { MAX_URL } from '../http/limits.js';
import { escapeHtml } from './inline.js';

export interface PageDeps {
  config: Config;
  registry: Registry;
  i18n: I18n;
  views: nunjucks.Environment;
  cache: PageCache;
  assets: Assets;
}

/** Pages may be kept by browsers and any CDN for 5 minutes, and served stale for a day while revalidating. */
export const PAGE_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

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

/**
 * Renders a page in its language and sends it with the headers every page carries. A 200 page
 * goes into the render cache, from which later requests are answered before Express.
 */
export function sendPage(res: Response, deps: PageDeps, page: Page): void {
  const { language } = page;
  const t = deps.i18n.t(language.id);
  const versions = page.versions.map((v) => ({
    id: v.language.id,
    lang: v.language.lang,
    dir: v.language.dir,
    name: v.language.name,
    path: v.path,
    href: deps.config.baseUrl + v.path,
    current: v.language === language,
  }));
  const html = deps.views.render(page.template, {
    ...page.data,
    t,
    title: page.title,
    locale: { id: language.id, lang: language.lang, dir: language.dir, name: language.name },
    versions,
    home: `/${language.id}/`,
    pickerHref: deps.config.baseUrl + '/',
    assets: { css: deps.assets.css.url, js: deps.assets.js.url, offline: deps.assets.offline.url },
  });
  const status = page.status ?? 200;
  res.set('Content-Language', language.lang);
  if (page.negotiated) res.vary('Accept-Language');
  res.set('Content-Type', 'text/html; charset=utf-8');
  res.set('Cache-Control', status === 200 ? PAGE_CACHE_CONTROL : 'no-store');
  const entry = makeEntry(res.getHeaders(), status, html);
  // Pages and localized 4xx pages alike are a pure function of the URL: kept (4xx only in the
  // bounded part of the cache). Never a 5xx, nor a page whose language came from Accept-Language
  // (but the picker, whose key carries it).
  const url = res.req.originalUrl;
  const key = status < 500 && url.length <= MAX_URL && (!page.negotiated || url === '/') ? cacheKey(url, res.req.get('accept-language'), deps.registry) : undefined;
  if (key !== undefined) deps.cache.set(key, entry);
  serve(res.req, res, entry);
}

/**
 * A translated UI string whose placeholders are HTML fragments (already safe), the rest escaped:
 * "Checked against {{source}} on {{date}}" with a linked source.
 */
export function tHtml(t: TFunction, key: string, html: Record<string, string>, text: Record<string, string> = {}): string {
  const names = Object.keys(html);
  const markers = Object.fromEntries(names.map((n, i) => [n, `\u{E000}${i}\u{E001}`]));
  const escaped = escapeHtml(t(key, { ...text, ...markers }));
  return escaped.replace(/\u{E000}(\d+)\u{E001}/gu, (_, i: string) => html[names[Number(i)]!]!);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as the reader's language writes it (Gregorian, Western digits, as the registry's Intl tag says). */
export function formatDate(isoDate: string, language: Language): string {
  let format = dateFormats.get(language.intl);
  if (!format) {
    format = new Intl.DateTimeFormat(language.intl, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormats.set(language.intl, format);
  }
  return format.format(new Date(`${isoDate}T00:00:00Z`));
}
