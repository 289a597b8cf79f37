import busboy from 'busboy';
import express, { type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * Form bodies: URL-encoded, at most 8 KB and 20 fields (more is a localized 413 or 400). The
 * largest a reader's form can send is a comment of 500 characters as the browser counts them (UTF-16
 * units), each up to 3 bytes of UTF-8 and so 9 once URL-encoded (☺ is %E2%98%BA): 4.5 KB, and the rest.
 */
export const formBody: RequestHandler = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
/** The editors' forms: a text of a guide, typed in Arabic script, is six bytes a letter once encoded. */
export const editorFormBody: RequestHandler = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });

/**
 * The editors' one upload (a translated XLIFF file): multipart, one file of at most `limit` bytes
 * (the rest is read and dropped, never kept: a 413) and a few short fields (the CSRF token), as the
 * form body of other forms (req.body, the file's text under its field's name).
 */
export const editorUpload =
  (limit: number): RequestHandler =>
  (req, _res, next) => {
    if (!req.is('multipart/form-data')) return next();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 4, parts: 5, fieldSize: 1024, fileSize: limit } });
    } catch {
      return next(new HttpError(400, 'request'));
    }
    const body: Record<string, string> = {};
    let tooLarge = false;
    let done = false;
    const finish = (error?: HttpError) => {
      if (done) return;
      done = true;
      req.body = body;
      next(error);
    };
    parser.on('field', (name, value) => (body[name] = value));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        tooLarge = true;
        chunks.length = 0;
      });
      stream.on('end', () => {
        if (!tooLarge) body[name] = Buffer.concat(chunks).toString('utf8');
      });
    });
    parser.on('close', () => finish(tooLarge ? new HttpError(413, 'bodyTooLarge') : undefined));
    parser.on('error', () => finish(new HttpError(400, 'request')));
    req.pipe(parser);
  };

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
/**
 * Whom a request is counted against: its IPv4 address, or the /64 network of an IPv6 one (a single
 * client commonly holds a whole /64 and can change address within it at will).
 */
export const clientAddress = (req: express.Request) => counted(req.ip ?? req.socket.remoteAddress ?? 'unknown');

export function counted(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  // Expand "::" to the zero groups it stands for, then keep the first four groups.
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
