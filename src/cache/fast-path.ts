import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from '../languages.js';
import { serve } from './entry.js';
import { cacheKey } from './key.js';
import type { PageCache } from './store.js';

/** The longest request target the site answers; the fast path does not even look longer ones up. */
export const MAX_URL = 2048;

/**
 * The server's request handler: a page already rendered is answered from the cache before Express
 * (with the headers Express sent for it); everything else goes to `next` (the Express app).
 */
export function fastPath(cache: PageCache, registry: Registry, logger: Logger, next: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const key = (req.method === 'GET' || req.method === 'HEAD') && url.length <= MAX_URL ? cacheKey(url, req.headers['accept-language'], registry) : undefined;
    const entry = key === undefined ? undefined : cache.get(key);
    if (!entry) return void next(req, res);
    const start = process.hrtime.bigint();
    serve(req, res, entry);
    if (logger.isLevelEnabled('info')) {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info({ method: req.method, path: url.split('?')[0], status: res.statusCode, ms: Math.round(ms * 10) / 10, cache: 'hit' }, 'request');
    }
  };
}
