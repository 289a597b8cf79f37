import { join } from 'node:path';
import { type AppDeps, cacheFor, createApp } from './app.js';
import { fastPath } from './cache/fast-path.js';
import { knownPages } from './cache/known.js';
import type { Release } from './cache/release.js';
import { expressShapes, keepTickShape } from './http/shapes.js';
import { previewer } from './preview.js';
import { fingerprintAssets } from './render/assets.js';

/**
 * What the server listens with: the render cache's fast path (memory, then the release on disk)
 * in front of the Express app, the request and answer classes the server creates (in Express's
 * shape: see http/shapes.ts), and the pages a release holds.
 */
export function createHandler(deps: AppDeps & { release?: Release }) {
  const cache = deps.cache ?? cacheFor(deps.config, deps.release, deps.clock);
  const assets = deps.assets ?? fingerprintAssets(join(deps.site.root, 'public'));
  // Editors' previews: the server's own configuration and content folder (not in an edition's rendering).
  const preview = deps.preview ?? (deps.store ? previewer({ config: deps.config, root: deps.site.root, contentDir: deps.site.contentDir }) : undefined);
  const app = createApp({ ...deps, cache, assets, ...(preview ? { preview } : {}) });
  const { registry, catalogue } = deps.site;
  // FAST_SHAPES=off: Node's and Express's own objects, nothing of their internals relied on.
  if (deps.config.fastShapes) void keepTickShape();
  return {
    handle: fastPath(cache, registry, deps.logger, app),
    shapes: deps.config.fastShapes ? expressShapes(app) : undefined,
    app,
    cache,
    known: knownPages(catalogue, registry, assets, deps.edition),
  };
}
