import type { RequestParamHandler } from 'express';
import type { Registry } from '../locales.js';
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
