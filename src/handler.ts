import { join } from 'node:path';
import { type AppDeps, cacheFor, createApp } from './app.js';
import { fastPath } from './cache/fast-path.js';
import { cacheKey } from './cache/key.js';
import { knownPages } from './cache/known.js';
import { fingerprintAssets } from './render/assets.js';

/**
 * What the server listens with: the render cache's fast path in front of the Express app, and
 * the list of pages to render at start (their keys kept for good in the cache).
 */
export function createHandler(deps: AppDeps) {
  const cache = deps.cache ?? cacheFor(deps.config);
  const assets = deps.assets ?? fingerprintAssets(join(deps.site.root, 'public'));
  const app = createApp({ ...deps, cache, assets });
  const { registry, catalogue } = deps.site;
  const known = knownPages(catalogue, registry, assets);
  for (const k of known) cache.known.add(cacheKey(k.url, k.acceptLanguage, registry)!);
  return { handle: fastPath(cache, registry, deps.logger, app), app, cache, known };
}
