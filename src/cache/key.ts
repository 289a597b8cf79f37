import { parse, type ParsedUrlQuery } from 'node:querystring';
import type { Registry } from '../languages.js';

/** No page takes more query parameters than this; a request with more is refused (400). */
export const MAX_PARAMS = 64;

/**
 * The query parser of the whole app: Express is given this very function, and the cache key is
 * made from its result, so that two requests share a key only if the routes see the same query.
 */
export const parseQuery = (search: string): ParsedUrlQuery => parse(search, '&', '=', { maxKeys: 0 });

/**
 * What is wrong with a request target that neither the router nor the cache may see: a raw "#"
 * (browsers never send the fragment; the router and a naive key would read it differently) or
 * more parameters than any page takes.
 */
export function targetProblem(url: string): 'fragment' | 'params' | undefined {
  if (url.includes('#')) return 'fragment';
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  let params = 1;
  for (let i = url.indexOf('&', q); i >= 0; i = url.indexOf('&', i + 1)) if (++params > MAX_PARAMS) return 'params';
  return undefined;
}

/** A parsed query as one string: names sorted, each name's values in the order given. */
export function canonicalQuery(query: ParsedUrlQuery): string {
  const parts: string[] = [];
  for (const name of Object.keys(query).sort()) {
    const value = query[name];
    for (const v of Array.isArray(value) ? value : [value ?? '']) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(v)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * The cache key of a request target: its path and canonical query, and for the language picker
 * the negotiated language. Undefined for a target the app refuses (see targetProblem).
 */
export function cacheKey(url: string, acceptLanguage: string | undefined, registry: Registry): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) {
    if (url.includes('#')) return undefined;
    return url === '/' ? `/#${registry.negotiate(acceptLanguage).id}` : url;
  }
  if (targetProblem(url)) return undefined;
  const path = url.slice(0, q);
  const key = path + canonicalQuery(parseQuery(url.slice(q + 1)));
  return path === '/' ? `${key}#${registry.negotiate(acceptLanguage).id}` : key;
}
