import type { RequestParamHandler } from 'express';
import type { Language, Registry } from '../locales.js';
import { HttpError } from '../http/errors.js';

/** Resolves :locale to a language of the registry (res.locals.language), or a 404. */
export function localeParam(registry: Registry): RequestParamHandler {
  return (_req, res, next, id: string) => {
    const language = registry.get(id);
    if (!language) return next(new HttpError(404, 'language'));
    res.locals.language = language;
    next();
  };
}

/**
 * The versions of a page that exists in some languages only: its path in each, or a 404
 * (saying where it does exist) when the reader's language is not among them.
 */
export function versionsIn(language: Language, languages: readonly Language[], path: (l: Language) => string, reason: string) {
  const versions = languages.map((l) => ({ language: l, path: path(l) }));
  if (!languages.includes(language)) throw new HttpError(404, reason, versions);
  return versions;
}
