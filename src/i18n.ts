import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import Backend, { type FsBackendOptions } from 'i18next-fs-backend';
import type { Registry } from './languages.js';

export const NAMESPACES = ['common'] as const;

/** The editors' area speaks French and English only: its strings are locales/<fr|en>/editor.json. */
export const EDITOR_LANGUAGES = ['fr', 'en'] as const;
export type EditorLanguage = (typeof EDITOR_LANGUAGES)[number];

export interface I18n {
  /** The UI-string translator of one language; every key exists in every language (a test proves it). */
  t(locale: string): TFunction;
  /** The editors' area's strings in French or English. */
  editor(language: EditorLanguage): TFunction;
  /** Whether a UI-string key exists in a language. */
  has(locale: string, key: string): boolean;
}

/** UI strings (not guide text) from locales/<id>/<namespace>.json, all loaded before the first request. */
export async function createI18n(localesDir: string, registry: Registry): Promise<I18n> {
  const instance = i18next.createInstance();
  const ids = registry.all.map((l) => l.id);
  await instance.use(Backend).init<FsBackendOptions>({
    backend: { loadPath: join(localesDir, '{{lng}}/{{ns}}.json') },
    supportedLngs: ids,
    preload: ids,
    lng: ids[0],
    fallbackLng: false,
    ns: [...NAMESPACES, 'editor'],
    defaultNS: 'common',
    load: 'currentOnly',
    saveMissing: false,
    returnNull: false,
    interpolation: { escapeValue: false },
  });
  for (const id of ids) {
    for (const ns of NAMESPACES) {
      if (!instance.hasResourceBundle(id, ns)) throw new Error(`${join(localesDir, id, `${ns}.json`)}: missing or not valid JSON`);
    }
  }
  for (const id of EDITOR_LANGUAGES) {
    if (!instance.hasResourceBundle(id, 'editor')) throw new Error(`${join(localesDir, id, 'editor.json')}: missing or not valid JSON`);
  }
  const fixed = new Map(ids.map((id) => [id, instance.getFixedT(id)]));
  const editor = new Map(EDITOR_LANGUAGES.map((id) => [id, instance.getFixedT(id, 'editor')]));
  return {
    t: (locale) => fixed.get(locale)!,
    editor: (language) => editor.get(language)!,
    has: (locale, key) => instance.exists(key, { lng: locale }),
  };
}
