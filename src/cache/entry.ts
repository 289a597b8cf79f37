import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chooseEncoding, type Encoding } from './encoding.js';

/**
 * A rendered answer, kept with the very headers the first answer carried, in each encoding:
 * answering it again is one writeHead and one end.
 */
export interface Entry {
  status: number;
  /** Every header of the first answer, except those that depend on the encoding. */
  headers: Record<string, string | string[]>;
  /** Strong validator: a hash of the body. */
  tag: string;
  /** The bodies held in memory. A page rendered here has identity and gzip at once, brotli later. */
  identity?: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  /**
   * A page of the release has all three on disk and reads each when first sent (most readers take
   * brotli: the others are never read); `grew` tells the cache how many bytes it now holds more.
   */
  read?: (encoding: Encoding) => Buffer;
  grew?: (bytes: number) => void;
  /** The complete headers of each encoding, made once. */
  ready: Partial<Record<Encoding, Variant>>;
  /** Asked since the cache last looked (its eviction gives such a page a second chance). */
  used?: boolean;
}

/**
 * Every entry is made here, with every field from the start and in one order, whether rendered
 * here or read from the release: V8 then gives all entries (and their variants) one shape, and the
 * code answering them, on the fast path and after Express, stays specialised to it.
 */
export const newEntry = (e: Pick<Entry, 'status' | 'headers' | 'tag' | 'identity' | 'gzip' | 'read'>): Entry => ({
  status: e.status,
  headers: e.headers,
  tag: e.tag,
  identity: e.identity,
  gzip: e.gzip,
  br: undefined,
  read: e.read,
  grew: undefined,
  ready: { br: undefined, gzip: undefined, identity: undefined },
  used: false,
});

interface Variant {
  etag: string;
  body: Buffer;
  /** Flat [name, value, name, value…] lists: the cheapest form writeHead takes. */
  ok: string[];
  notModified: string[];
}

const flat = (headers: Record<string, string | string[] | number>) =>
  Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.flatMap((v) => [name, v]) : [name, String(value)]));

const PER_ENCODING = new Set(['content-length', 'content-encoding', 'etag', 'transfer-encoding', 'connection']);

/** Builds the entry of a body answered with the given headers (those already set on the response). */
export function makeEntry(headers: OutgoingHttpHeaders, status: number, body: string | Buffer): Entry {
  const kept: Entry['headers'] = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || PER_ENCODING.has(name)) continue;
    kept[name] = Array.isArray(value) ? value : String(value);
  }
  const vary = String(kept.vary ?? '');
  if (!/accept-encoding/i.test(vary)) kept.vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
  const identity = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const tag = createHash('sha1').update(identity).digest('base64url').slice(0, 22);
  return newEntry({ status, headers: kept, tag, identity, gzip: gzipSync(identity), read: undefined });
}

/** The bytes an entry holds: what the cache's byte budget counts. */
export const entryBytes = (e: Entry) => (e.identity?.length ?? 0) + (e.gzip?.length ?? 0) + (e.br?.length ?? 0) + 1024;

/** The body of an encoding, read from the release if this is its first use. */
function body(entry: Entry, encoding: Encoding): Buffer {
  let b = entry[encoding];
  if (!b) {
    b = entry[encoding] = entry.read!(encoding);
    entry.grew?.(b.length);
  }
  return b;
}

/**
 * The variant of an encoding, made at its first use. Looked up by name, not by `ready[encoding]`:
 * a property read by a key that varies is one V8 may stop specialising (a megamorphic lookup, on
 * every answer: ~100 instructions here, ~800 with chooseEncoding's, in one profile of npm run bench).
 */
function variant(entry: Entry, encoding: Encoding): Variant {
  const ready = entry.ready;
  return (encoding === 'br' ? ready.br : encoding === 'gzip' ? ready.gzip : ready.identity) ?? prepare(entry, encoding);
}

function prepare(entry: Entry, encoding: Encoding): Variant {
  const bytes = body(entry, encoding);
  const etag = `"${entry.tag}${{ identity: '', gzip: '-gz', br: '-br' }[encoding]}"`;
  const notModified: Record<string, string | string[]> = { ...entry.headers, etag };
  delete notModified['content-type'];
  delete notModified['content-language'];
  const v: Variant = {
    etag,
    body: bytes,
    ok: flat({ ...entry.headers, etag, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }), 'content-length': bytes.length }),
    notModified: flat(notModified),
  };
  entry.ready[encoding] = v;
  return v;
}

/** What of a request decides the answer from an entry. */
export interface Asked {
  head: boolean;
  acceptEncoding: string | undefined;
  ifNoneMatch: string | undefined;
  /** Read by the fast path for the picker's key; not by the answer. */
  acceptLanguage: string | undefined;
}

/**
 * Answers from an entry: the best encoding the client takes, and 304 when its validator matches
 * (a 304 only ever replaces a 200: an error page is sent whole).
 */
export function answer(res: ServerResponse, asked: Asked, entry: Entry): void {
  const v = variant(entry, chooseEncoding(asked.acceptEncoding, entry.br !== undefined || entry.read !== undefined));
  if (asked.ifNoneMatch !== undefined && entry.status === 200 && matches(asked.ifNoneMatch, v.etag)) {
    res.writeHead(304, v.notModified);
    res.end();
    return;
  }
  res.writeHead(entry.status, v.ok);
  res.end(asked.head ? undefined : v.body);
}

/** The same, for a request whose headers Express has already read (asked as the fast path asks: one shape). */
export const serve = (req: IncomingMessage, res: ServerResponse, entry: Entry): void =>
  answer(
    res,
    { head: req.method === 'HEAD', acceptEncoding: req.headers['accept-encoding'], ifNoneMatch: req.headers['if-none-match'], acceptLanguage: undefined },
    entry,
  );

/** If-None-Match against a strong tag; a header too long or malformed simply does not match. */
function matches(header: string, etag: string): boolean {
  if (header.length > 2048) return false;
  if (header === etag) return true;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}
