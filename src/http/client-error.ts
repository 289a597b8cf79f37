import type { Socket } from 'node:net';
import type { I18n } from '../i18n.js';
import type { Registry } from '../languages.js';
import { escapeHtml } from '../render/html.js';
import { lastAnswer } from './connections.js';

type Status = 400 | 408 | 431;
const REASONS: Record<Status, { phrase: string; key: string }> = {
  400: { phrase: 'Bad Request', key: 'errors.reasons.request' },
  408: { phrase: 'Request Timeout', key: 'errors.reasons.timeout' },
  431: { phrase: 'Request Header Fields Too Large', key: 'errors.reasons.tooLarge' },
};

/**
 * The answer to a request Node cannot parse (broken request line, headers too large) or that did
 * not arrive in time: no language can be negotiated, so one small page says it in every language
 * of the site. Answers already owed on the connection are finished first; then the connection is
 * closed for good (never left half-open, holding a descriptor).
 */
export function clientErrorHandler(registry: Registry, i18n: I18n) {
  const page = (status: Status) => {
    const parts = registry.all.map((l) => {
      const t = i18n.t(l.id);
      return `<section lang="${l.lang}" dir="${l.dir}"><h2>${escapeHtml(t('errors.badRequest.title'))}</h2><p>${escapeHtml(t(REASONS[status].key))}</p><p><a href="/${l.id}/">${escapeHtml(t('errors.backHome'))}</a></p></section>`;
    });
    const body = Buffer.from(
      `<!DOCTYPE html>\n<html lang="${registry.all[0]!.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title></head><body><h1>${status}</h1>${parts.join('')}</body></html>\n`,
    );
    const head = [
      `HTTP/1.1 ${status} ${REASONS[status].phrase}`,
      'Content-Type: text/html; charset=utf-8',
      `Content-Length: ${body.length}`,
      "Content-Security-Policy: default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options: nosniff',
      'X-Frame-Options: DENY',
      'Referrer-Policy: no-referrer',
      'Cache-Control: no-store',
      'Connection: close',
    ].join('\r\n');
    return Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]);
  };
  const answers = { 400: page(400), 408: page(408), 431: page(431) };
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const answer = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? answers[408] : error.code === 'HPE_HEADER_OVERFLOW' ? answers[431] : answers[400];
    let sent = false;
    afterOwedAnswers(socket, () => {
      if (sent || socket.destroyed) return;
      sent = true;
      // A client that does not read cannot hold the socket either: destroyed after a second at most.
      setTimeout(() => socket.destroy(), 1000).unref();
      socket.end(answer, () => socket.destroy());
    });
  };
}

/**
 * Runs `then` once the answers to the requests already read on this connection are written. An
 * answer whose request's body never came whole is not waited for (it waits on that body): `then`
 * runs at once if nothing of it is written yet; otherwise the connection is closed.
 */
function afterOwedAnswers(socket: Socket, then: () => void) {
  const owed = lastAnswer(socket);
  if (!owed || owed.writableFinished || owed.destroyed || socket.destroyed) return then();
  if (!owed.req.complete) return owed.headersSent ? void socket.destroy() : then();
  owed.once('finish', () => afterOwedAnswers(socket, then));
  owed.once('close', () => afterOwedAnswers(socket, then));
}
