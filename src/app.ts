import { join } from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { errorHandler, notFound } from './http/errors.js';
import { requestLog } from './http/logging.js';
import { securityHeaders } from './http/security.js';
import { createViews } from './render/nunjucks.js';
import { guideRoutes } from './routes/guides.js';
import { healthRoutes, type Lifecycle } from './routes/health.js';
import { homeRoutes } from './routes/home.js';
import { toolRoutes } from './routes/tools.js';
import type { Site } from './site.js';

export interface AppDeps {
  config: Config;
  site: Site;
  logger: Logger;
  lifecycle?: Lifecycle;
}

/** The Express app. It never listens: src/server.ts does, and tests use it directly. */
export function createApp({ config, site, logger, lifecycle = { ready: true } }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', config.env);
  app.set('etag', 'strong');

  const views = createViews(join(site.root, 'views'), config.env === 'development');
  const deps = { config, logger, views, registry: site.registry, i18n: site.i18n, catalogue: site.catalogue };

  app.use(requestLog(logger));
  app.use(securityHeaders(config));
  app.use(healthRoutes(lifecycle));
  app.use('/assets', express.static(join(site.root, 'public'), { index: false, redirect: false, maxAge: '1h' }));
  app.use(homeRoutes(deps));
  app.use(guideRoutes(deps));
  app.use(toolRoutes(deps));
  app.use(notFound());
  app.use(errorHandler(deps));
  return app;
}
