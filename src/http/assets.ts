import type { RequestHandler } from 'express';
import { makeEntry, serve } from '../cache/entry.js';
import type { PageCache } from '../cache/store.js';
import type { Assets } from '../render/assets.js';

/** The fingerprinted stylesheet and scripts: kept a year, cached and compressed like pages. */
export function fingerprinted(assets: Assets, cache: PageCache): RequestHandler {
  return (req, res, next) => {
    const asset = assets.byUrl.get(req.path);
    if (!asset) return next();
    res.set('Content-Type', asset.type);
    res.set('Cache-Control', 'public, max-age=31536000, immutable');
    const entry = makeEntry(res.getHeaders(), 200, asset.body);
    cache.set(asset.url, entry);
    serve(req, res, entry);
  };
}
