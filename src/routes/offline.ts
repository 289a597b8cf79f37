import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Router } from 'express';
import { toolPages } from '../cache/known.js';
import { guideRevision } from '../content/revision.js';
import { sendPage } from '../http/send.js';
import { patterns, urls } from '../urls.js';
import type { Deps, LocaleRoutes } from './locale.js';

/** The service worker, with the release's version written in: a new release is a new worker. */
export function workerRoute(root: string, version: string): Router {
  const worker = `const VERSION = ${JSON.stringify(version)};\n${readFileSync(join(root, 'public/js/sw.js'), 'utf8')}`;
  return Router().get(urls.worker, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/javascript').send(worker);
  });
}

/** The web app manifest, what to keep offline per language, and the offline page. */
export function offlineRoutes(deps: Deps & { version: string }) {
  return (routes: LocaleRoutes) => {
    routes.get(patterns.manifest, (_req, res, l) => {
      const t = deps.i18n.t(l.id);
      res
        .set('Cache-Control', 'public, max-age=300')
        .type('application/manifest+json')
        .send(
          JSON.stringify({
            name: `${t('site.name')} · ${t('home.title')}`,
            short_name: t('site.name'),
            description: t('site.tagline'),
            lang: l.lang,
            dir: l.dir,
            start_url: urls.home(l),
            scope: '/',
            display: 'standalone',
            theme_color: '#0b4f9c',
            background_color: '#ffffff',
            icons: [
              { src: urls.icon, sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
              { src: urls.icon, sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
            ],
          }),
        );
    });

    // What a first visit in a language keeps: its home, every guide and handout in it, the guides'
    // tools (their page and their few answers; the checker answers on its page), the offline page, the assets.
    routes.get(patterns.offlineList, (_req, res, l) => {
      const guides = deps.catalogue.guides.filter((g) => g.languages.includes(l));
      const pages = [
        urls.home(l),
        urls.offline(l),
        ...guides.flatMap((g) => [urls.guide(l, g.slug), urls.print(l, g.slug)]),
        ...deps.catalogue.tools.filter((t) => guides.includes(t.guide)).flatMap((t) => toolPages(t, l)),
        ...deps.assets.all.map((a) => a.url),
        urls.icon,
      ];
      // Each guide's revision in this language: a page kept offline that is older is told so, once online.
      const revisions = Object.fromEntries(guides.map((g) => [g.slug, guideRevision(g, l)]));
      res.set('Cache-Control', 'no-cache').json({ version: deps.version, pages, revisions });
    });

    routes.get(patterns.offline, (_req, res, language) => {
      sendPage(res, deps, {
        template: 'pages/offline.njk',
        language,
        versions: deps.registry.all.map((l) => ({ language: l, path: urls.offline(l) })),
        title: deps.i18n.t(language.id)('offline.title'),
      });
    });
  };
}
