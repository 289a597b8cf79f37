import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { Catalogue } from '../content/catalogue.js';
import { HttpError } from '../http/errors.js';
import type { SendDeps } from '../http/send.js';
import type { Language, Registry } from '../languages.js';

/** What the page routes need: rendering and sending, the languages, the guides. */
export type Deps = SendDeps & {
  catalogue: Catalogue;
  /** Readers' forms on the pages, and their routes: FEEDBACK=on and a store. */
  feedback: boolean;
  /** Today, as an ISO date: a guide past its review date says so. Tests inject their own clock. */
  today: () => string;
};

/** A handler under /:locale: it receives the page's language, resolved once for the whole router. */
export type LocaleHandler = (req: Request, res: Response, language: Language) => void | Promise<void>;

export interface LocaleRoutes {
  /** A GET route at /:locale + pattern (a pattern of urls.ts). */
  get(pattern: string, handler: LocaleHandler): void;
  /** A POST route at /:locale + pattern, after its middleware (origin check, body parser). */
  post(pattern: string, before: RequestHandler[], handler: LocaleHandler): void;
}

/**
 * The one /:locale router: the first segment of the path is a language of the registry (else a
 * localized 404), set as res.locals.language; each area (home, guides, tools, offline) adds its routes.
 */
export function localeRouter(registry: Registry, areas: Array<(routes: LocaleRoutes) => void>): Router {
  const router = Router();
  router.param('locale', (_req, res, next, id: string) => {
    const language = registry.get(id);
    if (!language) return next(new HttpError(404, 'language'));
    res.locals.language = language;
    next();
  });
  const routes: LocaleRoutes = {
    get: (pattern, handler) => router.get(`/:locale${pattern === '/' ? '' : pattern}`, (req, res) => handler(req, res, res.locals.language!)),
    post: (pattern, before, handler) => router.post(`/:locale${pattern}`, ...before, (req, res) => handler(req, res, res.locals.language!)),
  };
  for (const area of areas) area(routes);
  return router;
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
