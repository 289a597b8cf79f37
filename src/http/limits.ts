import type { RequestHandler } from 'express';
import { MAX_URL } from '../cache/fast-path.js';
import { targetProblem } from '../cache/key.js';
import { HttpError } from './errors.js';

/** Only GET and HEAD exist here: anything else is a plain-text 405 naming them. */
export const onlyGetAndHead: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res
    .status(405)
    .set('Allow', 'GET, HEAD')
    .set('Cache-Control', 'no-store')
    .type('text/plain')
    .send('405 Method Not Allowed: this site only answers GET and HEAD.\n');
};

/** Over-long addresses (414, over MAX_URL), and targets the router and the cache would read differently (400). */
export const requestTarget: RequestHandler = (req, _res, next) => {
  if (req.originalUrl.length > MAX_URL) return next(new HttpError(414, 'tooLong'));
  next(targetProblem(req.originalUrl) ? new HttpError(400, 'request') : undefined);
};
