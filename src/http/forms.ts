import express, { type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/** Form bodies: URL-encoded, at most 4 KB and 20 fields (more is a localized 413 or 400). */
export const formBody: RequestHandler = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });

/**
 * A form may only be posted from this site: a browser says where a request comes from (Origin,
 * Sec-Fetch-Site), and anything else than this site's own origin is refused with a localized 403.
 * A client that says nothing (no browser) is let through: it cannot carry a reader's session. The
 * pages send no referrer, so a browser says "Origin: null" even from this site: that says nothing.
 */
export function sameSite(origin: string): RequestHandler {
  return (req, _res, next) => {
    const from = req.get('origin') === 'null' ? undefined : req.get('origin');
    const site = req.get('sec-fetch-site');
    const foreign = (from !== undefined && from !== origin) || (site !== undefined && site !== 'same-origin' && site !== 'none');
    next(foreign ? new HttpError(403, 'crossSite') : undefined);
  };
}

/** The client's address as the configured proxies report it: used to count, never kept. */
export const clientAddress = (req: express.Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
