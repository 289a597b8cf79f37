import { Router } from 'express';
import type { Catalogue } from '../content/load.js';
import { catalogueView } from '../content/view.js';
import type { Language } from '../locales.js';
import { type PageDeps, sendPage } from '../render/page.js';
import { localeParam } from './locale.js';

export function homeRoutes(deps: PageDeps & { catalogue: Catalogue }): Router {
  const router = Router();
  router.param('locale', localeParam(deps.registry));

  // The language picker: every language in its own script, the reader's best match first.
  router.get('/', (req, res) => {
    const best = deps.registry.negotiate(req.get('accept-language'));
    const ordered = [best, ...deps.registry.all.filter((l) => l !== best)];
    sendPage(res, deps, {
      template: 'pages/picker.njk',
      language: best,
      negotiated: true,
      versions: [],
      title: deps.i18n.t(best.id)('picker.title'),
      data: {
        choices: ordered.map((l) => ({
          href: `/${l.id}/`,
          lang: l.lang,
          dir: l.dir,
          name: l.name,
          prompt: deps.i18n.t(l.id)('picker.continue'),
        })),
      },
    });
  });

  router.get('/:locale', (req, res) => {
    const language = res.locals.language as Language;
    if (!req.path.endsWith('/')) return res.redirect(301, `/${language.id}/`);
    const t = deps.i18n.t(language.id);
    sendPage(res, deps, {
      template: 'pages/home.njk',
      language,
      versions: deps.registry.all.map((l) => ({ language: l, path: `/${l.id}/` })),
      title: t('home.title'),
      data: { catalogue: catalogueView(deps.catalogue, language, deps.registry, t) },
    });
  });
  return router;
}
