import type { RequestHandler } from 'express';
import { MAX_URL } from '../cache/fast-path.js';
import { targetProblem } from '../cache/key.js';
import { HttpError } from './errors.js';

/**
 * Pages answer GET and HEAD only; the few form targets (`posts`) take POST too. Anything else is
 * a plain-text 405 naming what the address takes.
 */
export function allowedMethods(posts: (path: string) => boolean): RequestHandler {
  return (req, res, next) => {
    const post = posts(req.path);
    if (req.method === 'GET' || req.method === 'HEAD' || (post && req.method === 'POST')) return next();
    const allow = post ? 'GET, HEAD, POST' : 'GET, HEAD';
    res
      .status(405)
      .set('Allow', allow)
      .set('Cache-Control', 'no-store')
      .type('text/plain')
      .send(`405 Method Not Allowed: this address only answers ${allow}.\n`);
  };
}

/** Over-long addresses (414, over MAX_URL), and targets the router and the cache would read differently (400). */
export const requestTarget: RequestHandler = (req, _res, next) => {
  if (req.originalUrl.length > MAX_URL) return next(new HttpError(414, 'tooLong'));
  next(targetProblem(req.originalUrl) ? new HttpError(400, 'request') : undefined);
};
