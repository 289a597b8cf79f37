import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Language } from '../languages.js';
import { escapeHtml, tHtml } from '../render/html.js';
import { StoreUnavailable } from '../store/guard.js';
import { type SendDeps, sendPage } from './send.js';

/** Characters that reorder the text around them: never let a quoted value carry one. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A value from the request as an error page may quote it: without bidi controls, and at most
 * 40 characters, cut between code points (never inside a surrogate pair).
 */
export function quote(value: unknown): string {
  const text = (Array.isArray(value) ? value.join(', ') : String(value)).replace(BIDI_CONTROLS, '');
  const chars = Array.from(text);
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : text;
}

/** An error a reader can be told about: a localized 404 or 400 page. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 413 | 414 | 429 | 503,
    /** Which UI-string message explains it (errors.<reason>). */
    readonly reason: string,
    /** Languages in which the page asked for does exist, when it exists in others. */
    readonly elsewhere: Array<{ language: Language; path: string }> = [],
    /** Values for the message's placeholders (a parameter's name, a value, passed through quote()), shown escaped and isolated. */
    readonly params: Record<string, string> = {},
    /** Where to start again, on this site. */
    readonly back?: string,
  ) {
    super(reason);
  }
}

export const notFound =
  (reason = 'page'): RequestHandler =>
  (_req, _res, next) =>
    next(new HttpError(404, reason));

/**
 * Turns every error into a page in the reader's language: the page's own language when the
 * URL names one, else the Accept-Language match. 4xx keep their status; anything else is a 500
 * whose stack trace is shown in development only.
 */
export function errorHandler(deps: SendDeps & { logger: Logger; development: boolean }): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const fromUrl = deps.registry.get(req.path.split('/')[1] ?? '');
    const language = res.locals.language ?? fromUrl ?? deps.registry.negotiate(req.get('accept-language'));
    const raw = err as { status?: unknown; statusCode?: unknown; expose?: unknown };
    const upstream = Number(raw.status ?? raw.statusCode);
    let status: number;
    let reason: string;
    let elsewhere: HttpError['elsewhere'] = [];
    let params: HttpError['params'] = {};
    let back: string | undefined;
    if (err instanceof HttpError) {
      ({ status, reason, elsewhere, params, back } = err);
    } else if (err instanceof StoreUnavailable) {
      // Logged where it failed (at most once a minute); the reader is asked to try later.
      status = 503;
      reason = 'storeDown';
    } else if (upstream === 403 || upstream === 404) {
      // A path the static files refuse (".." and the like) is simply not a page here.
      status = 404;
      reason = 'page';
    } else if (upstream === 413) {
      // A form body over its limit (the body parser's refusal).
      status = 413;
      reason = 'bodyTooLarge';
    } else if (upstream >= 400 && upstream < 500) {
      status = upstream;
      reason = 'request';
    } else {
      status = 500;
      reason = 'server';
      deps.logger.error({ err, path: req.path }, 'unhandled error');
    }
    if (res.headersSent) return void res.end();
    const kind =
      status === 404 ? 'notFound' : [403, 413, 429].includes(status) ? 'refused' : status === 503 ? 'unavailable' : status < 500 ? 'badRequest' : 'server';
    if (status === 429) res.set('Retry-After', '60');
    if (status === 503) res.set('Retry-After', '30');
    const t = deps.i18n.t(language.id);
    try {
      sendPage(res, deps, {
        template: 'pages/error.njk',
        language,
        versions: [],
        status,
        negotiated: !res.locals.language && !fromUrl,
        title: t(`errors.${kind}.title`),
        data: {
          kind,
          reason,
          // Quoted values are isolated: a right-to-left or odd value cannot reorder the sentence.
          message: tHtml(t, `errors.reasons.${reason}`, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, `<bdi>${escapeHtml(v)}</bdi>`]))),
          back: back ?? '',
          elsewhere: elsewhere.map((e) => ({ href: e.path, lang: e.language.lang, dir: e.language.dir, name: e.language.name })),
          stack: deps.development && status === 500 && err instanceof Error ? err.stack : '',
        },
      });
    } catch (renderError) {
      deps.logger.error({ err: renderError }, 'error page failed to render');
      res
        .status(status)
        .type('text/plain')
        .send(status === 404 ? 'Not found' : status < 500 ? 'Bad request' : 'Server error');
    }
  };
}
