import { Router } from 'express';
import { sendPage } from '../http/send.js';
import { patterns, urls } from '../urls.js';
import { catalogueView } from '../view-models/catalogue.js';
import type { Deps, LocaleRoutes } from './locale.js';

/** The language picker: every language in its own script, the reader's best match first. */
export function pickerRoute(deps: Deps): Router {
  return Router().get(urls.picker, (req, res) => {
    const best = deps.registry.negotiate(req.get('accept-language'));
    const ordered = [best, ...deps.registry.all.filter((l) => l !== best)];
    sendPage(res, deps, {
      template: 'pages/picker.njk',
      language: best,
      negotiated: true,
      versions: [],
      title: deps.i18n.t(best.id)('picker.title'),
      data: {
        choices: ordered.map((l) => ({ href: urls.home(l), lang: l.lang, dir: l.dir, name: l.name, prompt: deps.i18n.t(l.id)('picker.continue') })),
      },
    });
  });
}

/** A language's home: its guides by country, its tools, and the guides not yet written in it. */
export function homeRoutes(deps: Deps) {
  return (routes: LocaleRoutes) => {
    routes.get(patterns.home, (req, res, language) => {
      if (!req.path.endsWith('/')) return res.redirect(301, urls.home(language));
      const t = deps.i18n.t(language.id);
      sendPage(res, deps, {
        template: 'pages/home.njk',
        language,
        versions: deps.registry.all.map((l) => ({ language: l, path: urls.home(l) })),
        title: t('home.title'),
        data: { catalogue: catalogueView(deps.catalogue, language, deps.registry, t, deps.today()) },
      });
    });
  };
}
