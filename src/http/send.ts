import { once } from 'node:events';
import type { Response } from 'express';
import { makeEntry, serve } from '../cache/entry.js';
import { MAX_URL } from '../cache/fast-path.js';
import { cacheKey } from '../cache/key.js';
import type { PageCache } from '../cache/store.js';
import type { Registry } from '../languages.js';
import { type Page, type RenderDeps, renderPage } from '../render/page.js';
import { CSV_START, csvLine } from '../store/csv.js';

export interface SendDeps extends RenderDeps {
  cache: PageCache;
  registry: Registry;
}

/** Pages may be kept by browsers and any CDN for 5 minutes, and served stale for a day while revalidating. */
export const PAGE_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

/**
 * Renders a page and sends it with the headers every page carries. A page is a pure function of
 * its address, so it goes into the render cache, from which later requests are answered before
 * Express: pages and localized 4xx pages alike (4xx only in the bounded part of the cache), never
 * a 5xx, nor an answer to anything but GET and HEAD, nor a page whose language came from
 * Accept-Language (but the picker, whose key carries it).
 */
export function sendPage(res: Response, deps: SendDeps, page: Page): void {
  const html = renderPage(deps, page);
  const status = page.status ?? 200;
  res.set('Content-Language', page.language.lang);
  if (page.negotiated) res.vary('Accept-Language');
  res.set('Content-Type', 'text/html; charset=utf-8');
  res.set('Cache-Control', status === 200 ? PAGE_CACHE_CONTROL : 'no-store');
  const entry = makeEntry(res.getHeaders(), status, html);
  const url = res.req.originalUrl;
  const cacheable = (res.req.method === 'GET' || res.req.method === 'HEAD') && status < 500 && url.length <= MAX_URL && (!page.negotiated || url === '/');
  const key = cacheable ? cacheKey(url, res.req.get('accept-language'), deps.registry) : undefined;
  if (key !== undefined) deps.cache.set(key, entry);
  serve(res.req, res, entry);
}

/** A CSV file written one batch of rows at a time, as the client takes them: constant memory however many rows. */
export async function sendCsv<K extends string>(
  res: Response,
  file: string,
  header: readonly K[],
  batches: AsyncIterable<ReadonlyArray<Record<K, string | number | null>>>,
) {
  res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${file}"`);
  res.write(CSV_START + csvLine(header));
  for await (const rows of batches) {
    if (!res.write(rows.map((r) => csvLine(header.map((h) => r[h]))).join(''))) await once(res, 'drain');
  }
  res.end();
}
