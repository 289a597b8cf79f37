import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import { parseQuery } from './cache/key.js';
import type { Release } from './cache/release.js';
import { createCache, type PageCache } from './cache/store.js';
import type { Config } from './config.js';
import { isoDay } from './content/review.js';
import type { Checked } from './content/snapshot.js';
import { fingerprinted } from './http/assets.js';
import { errorHandler, notFound } from './http/errors.js';
import { allowedMethods, requestTarget } from './http/limits.js';
import { requestLog } from './http/logging.js';
import { securityHeaders } from './http/security.js';
import { releaseVersion } from './release.js';
import { type Assets, fingerprintAssets } from './render/assets.js';
import { createViews } from './render/nunjucks.js';
import type { Preview } from './routes/editor-edit.js';
import { editorRoutes } from './routes/editor.js';
import { feedbackRoutes } from './routes/feedback.js';
import { guideRoutes } from './routes/guides.js';
import { healthRoutes, type Lifecycle } from './routes/health.js';
import { homeRoutes, pickerRoute } from './routes/home.js';
import { localeRouter } from './routes/locale.js';
import { offlineRoutes, workerRoute } from './routes/offline.js';
import { toolRoutes } from './routes/tools.js';
import type { Site } from './site.js';
import type { Store } from './store/db.js';
import { addressSalt, memoryThrottle, storeThrottle } from './store/throttle.js';
import { urls } from './urls.js';

/** The one address readers post to, in each language. */
const FEEDBACK_PATH = /^\/[a-z]{2,3}\/feedback$/;
const randomSalt = () => randomBytes(16).toString('hex');

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
  /** The feedback store: with it (and FEEDBACK=on), pages carry the readers' forms and /editor exists. */
  store?: Store;
  /**
   * Rendering an edition at build time, with no store: pages carry the readers' forms when
   * FEEDBACK is on (the server that serves them has the store); a static edition's provider
   * checker, which no server can answer, leads to the guide's provider cards instead.
   */
  edition?: 'server' | 'static';
  /** After an editor's publish: the server's live state made again from the content files (server.ts). */
  reload?: (changed?: readonly string[], checked?: Checked) => Promise<void>;
  /** Readers' pages with an editor's changes applied (preview.ts, made by handler.ts). */
  preview?: Preview;
}

/** The render cache with the configured bounds, in front of the release directory when there is one. */
export const cacheFor = (config: Config, release?: Release, clock: () => Date = () => new Date()) =>
  createCache({ maxEntries: config.limits.cacheEntries, maxBytes: config.limits.cacheBytes }, release, () => isoDay(clock));

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
  store,
  edition,
  reload,
  preview,
}: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', config.env);
  app.set('etag', false);
  // The cache key is made from what this parser returns: one parser for both.
  app.set('query parser', parseQuery);
  // Behind proxies, the reader's address (counted for report limits, never kept) is theirs to tell.
  app.set('trust proxy', config.trustProxy);

  const feedback = config.feedback.enabled && (store !== undefined || edition === 'server');
  const deps = {
    feedback,
    views: createViews(join(site.root, 'views'), config.env === 'development'),
    assets: assets ?? fingerprintAssets(join(site.root, 'public')),
    baseUrl: config.baseUrl,
    cache,
    registry: site.registry,
    i18n: site.i18n,
    catalogue: site.catalogue,
    today: () => isoDay(clock),
  };
  const version = releaseVersion(site.root, releaseSalt, undefined, site.contentDir);
  const baseOrigin = new URL(config.baseUrl).origin;
  // Reports: one copy counts in memory; copies sharing PostgreSQL count in it, with the salt they
  // share. Sign-ins: always in the store. A failure (the store down) is not kept: the next request tries again.
  const inStore = () => addressSalt(store!).then((s) => storeThrottle(store!, s));
  const sharedThrottle = kept(() => (store!.dialect === 'postgres' ? inStore() : Promise.resolve(memoryThrottle(randomSalt()))));
  const salt = kept(() => addressSalt(store!));
  const signInThrottle = kept(inStore);

  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  const posts = feedback && store !== undefined;
  app.use(allowedMethods((path) => posts && (path.startsWith(urls.editor.home) || FEEDBACK_PATH.test(path))));
  app.use(requestTarget);
  app.use(healthRoutes(lifecycle));
  app.use(fingerprinted(deps.assets, cache));
  app.use('/assets', express.static(join(site.root, 'public'), { index: false, redirect: false, maxAge: '1h' }));
  app.use(workerRoute(site.root, version));
  app.use(pickerRoute(deps));
  if (posts) {
    app.use(
      '/editor',
      editorRoutes({
        ...deps,
        store,
        signInThrottle,
        baseOrigin,
        https: config.https,
        root: site.root,
        contentDir: site.contentDir,
        reviewsRequired: config.feedback.reviewsRequired,
        gitRemote: config.feedback.gitRemote,
        ...(reload ? { reload } : {}),
        ...(preview ? { preview } : {}),
      }),
    );
  }
  const areas = [homeRoutes(deps), guideRoutes(deps), toolRoutes({ ...deps, staticEdition: edition === 'static' }), offlineRoutes({ ...deps, version })];
  if (posts)
    areas.push(
      feedbackRoutes({
        ...deps,
        store,
        throttle: sharedThrottle,
        salt,
        release: version,
        perMinute: config.feedback.perMinute,
        answersPerMinute: config.feedback.answersPerMinute,
        baseOrigin,
      }),
    );
  app.use(localeRouter(site.registry, areas));
  app.use(notFound());
  app.use(errorHandler({ ...deps, logger, development: config.env === 'development' }));
  return app;
}

/** What `make` gives once it has given it; a failure is not kept (the next call tries again). */
function kept<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}
