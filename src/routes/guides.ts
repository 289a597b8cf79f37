import { Router } from 'express';
import type { Catalogue } from '../content/load.js';
import { guideView } from '../content/view.js';
import { HttpError } from '../http/errors.js';
import type { Language } from '../locales.js';
import { type PageDeps, sendPage } from '../render/page.js';
import { localeParam, versionsIn } from './locale.js';

export function guideRoutes(deps: PageDeps & { catalogue: Catalogue }): Router {
  const router = Router();
  router.param('locale', localeParam(deps.registry));

  router.get('/:locale/guides/:slug', (req, res) => {
    const language = res.locals.language as Language;
    const guide = deps.catalogue.get(req.params.slug);
    if (!guide) throw new HttpError(404, 'guide');
    const versions = versionsIn(language, guide.languages, (l) => `/${l.id}/guides/${guide.slug}`, 'guideLanguage');
    const t = deps.i18n.t(language.id);
    const guidePage = guideView(guide, language, deps.registry, t);
    sendPage(res, deps, { template: 'pages/guide.njk', language, versions, title: guidePage.title, data: { guide: guidePage } });
  });
  return router;
}
