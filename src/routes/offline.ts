import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import type { Catalogue } from '../content/load.js';
import type { Language } from '../locales.js';
import { type PageDeps, sendPage } from '../render/page.js';
import { localeParam } from './locale.js';

/** The server's own code: dist/ when it runs built, src/ under the tests. */
const CODE_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The release's version: a hash of everything a page is made of (content, UI strings, templates,
 * assets), of the server's code and of the dependencies' versions (the lockfile). The service
 * worker's store is named after it, so any new release, code-only ones too, replaces the old store.
 */
export function releaseVersion(root: string, salt = '', code = CODE_DIR): string {
  const hash = createHash('sha1').update(salt);
  const add = (path: string, name: string) => hash.update(name).update(readFileSync(path));
  const walk = (dir: string, base: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, base);
      else if (!entry.name.endsWith('.map')) add(path, relative(base, path));
    }
  };
  for (const dir of ['content', 'locales', 'views', 'public']) walk(join(root, dir), root);
  walk(code, code);
  const lock = ['package-lock.json', 'package.json'].map((f) => join(root, f)).find((f) => existsSync(f));
  if (lock) add(lock, 'lockfile');
  return hash.digest('hex').slice(0, 12);
}

/** The web app manifest, the service worker, what to keep offline per language, and the offline page. */
export function offlineRoutes(deps: PageDeps & { catalogue: Catalogue; root: string; version: string }): Router {
  const router = Router();
  router.param('locale', localeParam(deps.registry));
  const worker = `const VERSION = ${JSON.stringify(deps.version)};\n${readFileSync(join(deps.root, 'public/js/sw.js'), 'utf8')}`;

  router.get('/sw.js', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/javascript').send(worker);
  });

  router.get('/:locale/manifest.webmanifest', (_req, res) => {
    const l = res.locals.language as Language;
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
          start_url: `/${l.id}/`,
          scope: '/',
          display: 'standalone',
          theme_color: '#0b4f9c',
          background_color: '#ffffff',
          icons: [
            { src: '/assets/img/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
            { src: '/assets/img/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
          ],
        }),
      );
  });

  // What a first visit in a language keeps: its home, every guide and handout in it, the offline page, the assets.
  router.get('/:locale/offline.json', (_req, res) => {
    const l = res.locals.language as Language;
    const guides = deps.catalogue.guides.filter((g) => g.languages.includes(l));
    const pages = [
      `/${l.id}/`,
      `/${l.id}/offline`,
      ...guides.flatMap((g) => [`/${l.id}/guides/${g.slug}`, `/${l.id}/guides/${g.slug}/print`]),
      deps.assets.css.url,
      deps.assets.js.url,
      deps.assets.offline.url,
      '/assets/img/icon.svg',
    ];
    res.set('Cache-Control', 'no-cache').json({ version: deps.version, pages });
  });

  router.get('/:locale/offline', (_req, res) => {
    const language = res.locals.language as Language;
    sendPage(res, deps, {
      template: 'pages/offline.njk',
      language,
      versions: deps.registry.all.map((l) => ({ language: l, path: `/${l.id}/offline` })),
      title: deps.i18n.t(language.id)('offline.title'),
    });
  });
  return router;
}
