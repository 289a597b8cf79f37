import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompress, constants, gzipSync } from 'node:zlib';
import type { Registry } from '../locales.js';

/**
 * The render cache. A page is a pure function of its URL (and, for the language picker, of the
 * negotiated language), so each is rendered once, compressed once (gzip at once, brotli 11 off
 * the request path), and answered from memory with the very headers the first answer carried.
 */
export interface Entry {
  status: number;
  /** Every header of the first answer, except those that depend on the encoding. */
  headers: Record<string, string | string[]>;
  /** Strong validator: a hash of the body. */
  tag: string;
  identity: Buffer;
  gzip: Buffer;
  br?: Buffer;
  /** The complete headers of each encoding, made once: answering is one writeHead and one end. */
  ready: Partial<Record<Encoding, Variant>>;
}

type Encoding = 'identity' | 'gzip' | 'br';
interface Variant {
  etag: string;
  body: Buffer;
  /** Flat [name, value, name, value…] lists: the cheapest form writeHead takes. */
  ok: string[];
  notModified: string[];
}

const flat = (headers: Record<string, string | string[] | number>) =>
  Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.flatMap((v) => [name, v]) : [name, String(value)]));

export interface PageCache {
  get(key: string): Entry | undefined;
  /** Stores an entry: pages known at start are kept; the others in a bounded LRU. */
  set(key: string, entry: Entry): void;
  /** Builds brotli 11 for every kept page that lacks it; resolves when done. */
  compressKnown(): Promise<void>;
  /** Keys the cache keeps for good (pages known at start). */
  known: Set<string>;
  size(): { known: number; dynamic: number };
}

export function createCache(maxDynamic = 500): PageCache {
  const known = new Set<string>();
  const kept = new Map<string, Entry>();
  const lru = new Map<string, Entry & { hits?: number }>();
  // One brotli 11 at a time in the background: it takes a lot of CPU and memory, and a flood of
  // new URLs must not turn into a flood of compressions.
  const queue: Entry[] = [];
  let busy = false;
  const compressNext = () => {
    const entry = queue.shift();
    if (!entry) return void (busy = false);
    busy = true;
    addBrotli(entry).then(compressNext, compressNext);
  };
  return {
    known,
    get(key) {
      const hit = kept.get(key);
      if (hit) return hit;
      const entry = lru.get(key);
      if (entry) {
        lru.delete(key);
        lru.set(key, entry);
        // A page met later is asked again: worth its brotli, built off the request path.
        if ((entry.hits = (entry.hits ?? 0) + 1) === 1 && !entry.br) {
          queue.push(entry);
          if (!busy) compressNext();
        }
      }
      return entry;
    },
    set(key, entry) {
      if (known.has(key)) {
        kept.set(key, entry);
        return;
      }
      lru.delete(key);
      lru.set(key, entry);
      while (lru.size > maxDynamic) lru.delete(lru.keys().next().value!);
    },
    async compressKnown() {
      for (const entry of kept.values()) if (!entry.br) await addBrotli(entry);
    },
    size: () => ({ known: kept.size, dynamic: lru.size }),
  };
}

/** Brotli 11 of an entry, in the thread pool. */
const addBrotli = (entry: Entry) =>
  new Promise<void>((resolve, reject) =>
    brotliCompress(entry.identity, brotliOptions, (error, br) => {
      if (error) return reject(error);
      entry.br = br;
      resolve();
    }),
  );

const brotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };

/** The cache key of a request: path and sorted query; the picker also by negotiated language. */
export function cacheKey(url: string, acceptLanguage: string | undefined, registry: Registry): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const search = q < 0 ? '' : normalizeSearch(url.slice(q));
  const key = path + search;
  return path === '/' ? `${key}#${registry.negotiate(acceptLanguage).id}` : key;
}

/** A query string with its parameters sorted by name (values keep their order): "?a=1&b=2". */
export function normalizeSearch(search: string): string {
  const params = new URLSearchParams(search);
  params.sort();
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Builds the entry of a body answered with the headers already set on `res`. */
export function makeEntry(res: ServerResponse, status: number, body: string | Buffer): Entry {
  const headers: Entry['headers'] = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined || ['content-length', 'content-encoding', 'etag', 'transfer-encoding'].includes(name)) continue;
    headers[name] = Array.isArray(value) ? value : String(value);
  }
  const vary = String(headers.vary ?? '');
  if (!/accept-encoding/i.test(vary)) headers.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
  const identity = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    status,
    headers,
    tag: createHash('sha1').update(identity).digest('base64url').slice(0, 22),
    identity,
    gzip: gzipSync(identity),
    ready: {},
  };
}

function variant(entry: Entry, encoding: Encoding): Variant {
  let v = entry.ready[encoding];
  if (!v) {
    const body = encoding === 'br' ? entry.br! : encoding === 'gzip' ? entry.gzip : entry.identity;
    const etag = `"${entry.tag}${{ identity: '', gzip: '-gz', br: '-br' }[encoding]}"`;
    const notModified: Record<string, string | string[]> = { ...entry.headers, etag };
    delete notModified['content-type'];
    delete notModified['content-language'];
    v = {
      etag,
      body,
      ok: flat({ ...entry.headers, etag, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }), 'content-length': body.length }),
      notModified: flat(notModified),
    };
    entry.ready[encoding] = v;
  }
  return v;
}

/** Answers from an entry: the best encoding the client takes, 304 when its validator matches. */
export function serve(req: IncomingMessage, res: ServerResponse, entry: Entry): void {
  const accept = req.headers['accept-encoding'] ?? '';
  const v = variant(entry, entry.br && accept.includes('br') ? 'br' : accept.includes('gzip') ? 'gzip' : 'identity');
  if (req.headers['if-none-match'] !== undefined && matches(req.headers['if-none-match'], v.etag)) {
    res.writeHead(304, v.notModified);
    res.end();
    return;
  }
  res.writeHead(entry.status, v.ok);
  res.end(req.method === 'HEAD' ? undefined : v.body);
}

/** If-None-Match against a strong tag; a header too long or malformed simply does not match. */
function matches(header: string | string[] | undefined, etag: string): boolean {
  if (typeof header !== 'string' || header.length > 2048) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}
