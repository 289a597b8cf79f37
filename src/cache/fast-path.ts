import type { IncomingMessage, RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from '../languages.js';
import { answer, type Asked } from './entry.js';
import { cacheKey } from './key.js';
import type { PageCache } from './store.js';

/** The longest request target the site answers; the fast path does not even look longer ones up. */
export const MAX_URL = 2048;

/**
 * The three request headers an answer from the cache depends on, read from the raw list in one
 * pass: Node builds `req.headers` (an object, every name lower-cased) only when it is asked for.
 */
function asked(req: IncomingMessage): Asked {
  const raw = req.rawHeaders;
  let acceptEncoding: string | undefined;
  let ifNoneMatch: string | undefined;
  let acceptLanguage: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Compared by length first (most names are not one of the three), then as written (browsers
    // write them one way), then without regard to case. The first of repeated ones, as Node keeps.
    if (name.length === 15) {
      if (name === 'Accept-Encoding' || name === 'accept-encoding' || name.toLowerCase() === 'accept-encoding') acceptEncoding ??= raw[i + 1];
      else if (name.toLowerCase() === 'accept-language') acceptLanguage ??= raw[i + 1];
    } else if (name.length === 13 && (name === 'If-None-Match' || name === 'if-none-match' || name.toLowerCase() === 'if-none-match')) {
      ifNoneMatch ??= raw[i + 1];
    }
  }
  return { head: req.method === 'HEAD', acceptEncoding, ifNoneMatch, acceptLanguage };
}

/**
 * The server's request handler: a page already rendered is answered from the cache before Express
 * (with the headers Express sent for it); everything else goes to `next` (the Express app). A hit
 * does nothing else: one pass over the request's headers, one lookup, one writeHead, one end.
 */
export function fastPath(cache: PageCache, registry: Registry, logger: Logger, next: RequestListener): RequestListener {
  const logging = logger.isLevelEnabled('info');
  // A query's key (parsed, sorted, encoded again) is worth remembering: the same few come again and
  // again. Bounded: a client sending endless new ones only empties it.
  const keys = new Map<string, string | undefined>();
  const keyOf = (url: string, acceptLanguage: string | undefined) => {
    // Without a query, the key is the path; the picker's (at /) depends on Accept-Language too.
    if (!url.includes('?') || url.startsWith('/?')) return cacheKey(url, acceptLanguage, registry);
    let key = keys.get(url);
    if (key === undefined && !keys.has(url)) {
      key = cacheKey(url, acceptLanguage, registry);
      if (keys.size >= 1024) keys.clear();
      keys.set(url, key);
    }
    return key;
  };
  return (req, res) => {
    const url = req.url ?? '/';
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || url.length > MAX_URL) return void next(req, res);
    const a = asked(req);
    const key = keyOf(url, a.acceptLanguage);
    const entry = key === undefined ? undefined : cache.get(key);
    if (!entry) return void next(req, res);
    if (!logging) return answer(res, a, entry);
    const start = performance.now();
    answer(res, a, entry);
    logger.info({ method, path: url.split('?')[0], status: res.statusCode, ms: Math.round((performance.now() - start) * 10) / 10, cache: 'hit' }, 'request');
  };
}
