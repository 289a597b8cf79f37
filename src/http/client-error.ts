import type { Socket } from 'node:net';
import type { I18n } from '../i18n.js';
import type { Registry } from '../locales.js';
import { escapeHtml } from '../render/inline.js';

/**
 * The answer to a request Node cannot even parse (headers too large, broken request line): no
 * language can be negotiated, so one small page says it in every language of the site.
 */
export function clientErrorHandler(registry: Registry, i18n: I18n) {
  const page = (status: 400 | 431) => {
    const parts = registry.all.map((l) => {
      const t = i18n.t(l.id);
      const reason = status === 431 ? t('errors.reasons.tooLarge') : t('errors.reasons.request');
      return `<section lang="${l.lang}" dir="${l.dir}"><h2>${escapeHtml(t('errors.badRequest.title'))}</h2><p>${escapeHtml(reason)}</p><p><a href="/${l.id}/">${escapeHtml(t('errors.backHome'))}</a></p></section>`;
    });
    const body = Buffer.from(`<!DOCTYPE html>\n<html lang="${registry.all[0]!.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title></head><body><h1>${status}</h1>${parts.join('')}</body></html>\n`);
    const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const head = [
      `HTTP/1.1 ${status} ${reason}`,
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
  const answers = { 400: page(400), 431: page(431) };
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    socket.end(error.code === 'HPE_HEADER_OVERFLOW' ? answers[431] : answers[400]);
  };
}
