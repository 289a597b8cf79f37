import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

/** The longest URL the site answers; longer ones get a localized 414. */
export const MAX_URL = 2048;

/** Only GET and HEAD exist here: anything else is a plain-text 405 naming them. */
export const onlyGetAndHead: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res.status(405).set('Allow', 'GET, HEAD').set('Cache-Control', 'no-store').type('text/plain').send('405 Method Not Allowed: this site only answers GET and HEAD.\n');
};

export const urlLength: RequestHandler = (req, _res, next) => {
  next(req.originalUrl.length > MAX_URL ? new HttpError(414, 'tooLong') : undefined);
};
