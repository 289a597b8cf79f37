import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import { parseQuery } from './cache/key.js';
import { createCache, type PageCache } from './cache/store.js';
import type { Config } from './config.js';
import { isoDay } from './content/review.js';
import { fingerprinted } from './http/assets.js';
import { errorHandler, notFound } from './http/errors.js';
import { onlyGetAndHead, requestTarget } from './http/limits.js';
import { requestLog } from './http/logging.js';
import { securityHeaders } from './http/security.js';
import { releaseVersion } from './release.js';
import { type Assets, fingerprintAssets } from './render/assets.js';
import { createViews } from './render/nunjucks.js';
import { guideRoutes } from './routes/guides.js';
import { healthRoutes, type Lifecycle } from './routes/health.js';
import { homeRoutes, pickerRoute } from './routes/home.js';
import { localeRouter } from './routes/locale.js';
import { offlineRoutes, workerRoute } from './routes/offline.js';
import { toolRoutes } from './routes/tools.js';
import type { Site } from './site.js';

export interface AppDeps {
  config: Config;
  site: Site;
  logger: Logger;
  lifecycle?: Lifecycle;
  cache?: PageCache;
  assets?: Assets;
  /** Added to the release version (tests make a "new release" with it). */
  releaseSalt?: string;
  /** The clock a page's freshness notice is read from (tests inject theirs). */
  clock?: () => Date;
}

/** The render cache with the configured bounds. */
export const cacheFor = (config: Config) => createCache({ maxEntries: config.limits.cacheEntries, maxBytes: config.limits.cacheBytes });

/** The Express app: the middleware and routers in the order a request meets them. It never listens. */
export function createApp({
  config,
  site,
  logger,
  lifecycle = { ready: true },
  cache = cacheFor(config),
  assets,
  releaseSalt = '',
  clock = () => new Date(),
}: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', config.env);
  app.set('etag', false);
  // The cache key is made from what this parser returns: one parser for both.
  app.set('query parser', parseQuery);

  const deps = {
    views: createViews(join(site.root, 'views'), config.env === 'development'),
    assets: assets ?? fingerprintAssets(join(site.root, 'public')),
    baseUrl: config.baseUrl,
    cache,
    registry: site.registry,
    i18n: site.i18n,
    catalogue: site.catalogue,
    today: () => isoDay(clock),
  };
  const version = releaseVersion(site.root, releaseSalt);

  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  app.use(onlyGetAndHead);
  app.use(requestTarget);
  app.use(healthRoutes(lifecycle));
  app.use(fingerprinted(deps.assets, cache));
  app.use('/assets', express.static(join(site.root, 'public'), { index: false, redirect: false, maxAge: '1h' }));
  app.use(workerRoute(site.root, version));
  app.use(pickerRoute(deps));
  app.use(localeRouter(site.registry, [homeRoutes(deps), guideRoutes(deps), toolRoutes(deps), offlineRoutes({ ...deps, version })]));
  app.use(notFound());
  app.use(errorHandler({ ...deps, logger, development: config.env === 'development' }));
  return app;
}
