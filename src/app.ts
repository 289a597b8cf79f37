import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { fingerprintAssets } from './http/assets.js';
import { makeEntry, serve } from './cache/entry.js';
import { cacheKey, parseQuery } from './cache/key.js';
import { createCache, type PageCache } from './cache/store.js';
import { errorHandler, notFound } from './http/errors.js';
import { MAX_URL, onlyGetAndHead, requestTarget } from './http/limits.js';
import { requestLog } from './http/logging.js';
import { securityHeaders } from './http/security.js';
import { createViews } from './render/nunjucks.js';
import { guideRoutes } from './routes/guides.js';
import { healthRoutes, type Lifecycle } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { offlineRoutes, releaseVersion } from './routes/offline.js';
import { toolRoutes } from './routes/tools.js';
import type { Site } from './site.js';

export interface AppDeps {
  config: Config;
  site: Site;
  logger: Logger;
  lifecycle?: Lifecycle;
  cache?: PageCache;
  /** Added to the release version (tests make a "new release" with it). */
  releaseSalt?: string;
}

const cacheFor = (config: Config) => createCache({ maxEntries: config.limits.cacheEntries, maxBytes: config.limits.cacheBytes });

/** The Express app. It never listens: src/server.ts does, and tests use it directly. */
export function createApp({ config, site, logger, lifecycle = { ready: true }, cache = cacheFor(config), releaseSalt = '' }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', config.env);
  app.set('etag', false);
  // The cache key is made from what this parser returns: one parser for both.
  app.set('query parser', parseQuery);

  const views = createViews(join(site.root, 'views'), config.env === 'development');
  const assets = fingerprintAssets(join(site.root, 'public'));
  const deps = { config, logger, views, cache, assets, registry: site.registry, i18n: site.i18n, catalogue: site.catalogue };
  app.locals.assets = assets;
  const version = releaseVersion(site.root, releaseSalt);

  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  app.use(onlyGetAndHead);
  app.use(requestTarget);
  app.use(healthRoutes(lifecycle));
  // Fingerprinted stylesheet and script: kept for a year, cached and compressed like pages.
  app.use((req, res, next) => {
    const asset = assets.byUrl.get(req.path);
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.set('Content-Type', asset.type);
    res.set('Cache-Control', 'public, max-age=31536000, immutable');
    const entry = makeEntry(res.getHeaders(), 200, asset.body);
    cache.set(asset.url, entry);
    serve(req, res, entry);
  });
  app.use('/assets', express.static(join(site.root, 'public'), { index: false, redirect: false, maxAge: '1h' }));
  app.use(offlineRoutes({ ...deps, root: site.root, version }));
  app.use(homeRoutes(deps));
  app.use(guideRoutes(deps));
  app.use(toolRoutes(deps));
  app.use(notFound());
  app.use(errorHandler(deps));
  return app;
}

/**
 * The server's request handler: a page already rendered is answered from the cache before
 * Express (with the headers Express sent for it); everything else goes to Express.
 */
export function createHandler(deps: AppDeps) {
  const cache = deps.cache ?? cacheFor(deps.config);
  const app = createApp({ ...deps, cache });
  const { registry, catalogue } = deps.site;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const key = (req.method === 'GET' || req.method === 'HEAD') && url.length <= MAX_URL ? cacheKey(url, req.headers['accept-language'], registry) : undefined;
    if (key !== undefined) {
      const entry = cache.get(key);
      if (entry) {
        const start = process.hrtime.bigint();
        serve(req, res, entry);
        if (deps.logger.isLevelEnabled('info')) {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          deps.logger.info({ method: req.method, path: url.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10, cache: 'hit' }, 'request');
        }
        return;
      }
    }
    app(req, res);
  };

  // The pages known at start. Those a reader lands on are rendered before the server says it is
  // ready; handouts and help-desk steps (`later`) right after; all get brotli 11 in the background.
  const assets = app.locals.assets as ReturnType<typeof fingerprintAssets>;
  const known: Array<{ url: string; acceptLanguage?: string; later?: boolean }> = [
    ...registry.all.map((l) => ({ url: '/', acceptLanguage: l.lang })),
    ...registry.all.map((l) => ({ url: `/${l.id}/` })),
    ...catalogue.guides.flatMap((g) =>
      g.languages.flatMap((l) => {
        const base = `/${l.id}/guides/${g.slug}`;
        return [
          { url: base },
          { url: `${base}/print`, later: true },
          ...Array.from({ length: g.stepCount }, (_, i) => ({ url: `${base}/present/${i + 1}`, later: true })),
        ];
      }),
    ),
    ...catalogue.tools.flatMap((t) => t.guide.languages.map((l) => ({ url: `/${l.id}/tools/${t.id}` }))),
    ...registry.all.map((l) => ({ url: `/${l.id}/offline`, later: true })),
    { url: assets.css.url },
    { url: assets.js.url },
    { url: assets.offline.url },
  ];
  for (const k of known) cache.known.add(cacheKey(k.url, k.acceptLanguage, registry)!);
  return { handle, app, cache, known };
}
