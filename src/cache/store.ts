import { brotliCompress, constants } from 'node:zlib';
import { type Entry, entryBytes } from './entry.js';
import type { Release } from './release.js';

export interface CacheLimits {
  /** Pages kept in memory at most (least recently used dropped first). */
  maxEntries: number;
  /** Bytes those pages may hold in all their encodings. */
  maxBytes: number;
  /** Pages waiting for their brotli at most; more are not queued (they stay in gzip). */
  maxQueued: number;
}

export const DEFAULT_LIMITS: CacheLimits = { maxEntries: 500, maxBytes: 64 * 1024 * 1024, maxQueued: 16 };

export interface PageCache {
  /** The page of a key: from memory, else from the release on disk (then kept in memory). */
  get(key: string): Entry | undefined;
  /** Keeps a page rendered on demand; its brotli is built off the request path. */
  set(key: string, entry: Entry): void;
  /** Forgets every page held in memory (they are read or rendered again as they are asked): pages that depend on the day changed. */
  clear(): void;
  size(): { entries: number; bytes: number; queued: number; release: number };
}

/**
 * The render cache: a page is a pure function of its key, so it is made once and answered from
 * memory. Memory holds the pages asked lately, in an LRU bounded by count and by bytes, whatever
 * the size of the content. Behind it, the release directory: pages the build rendered and
 * compressed, read from disk when first asked (valid until the day a review notice would change
 * them). Pages rendered on demand (tool answers, bilingual pages, error pages, or every page
 * without a release) get gzip at once and brotli 11 off the request path, one at a time, from a
 * short queue of keys: a page the LRU has dropped meanwhile is skipped, so background compression
 * never holds more than the page being compressed.
 */
export function createCache(limits: Partial<CacheLimits> = {}, release?: Release, today: () => string = isoToday): PageCache {
  const { maxEntries, maxBytes, maxQueued } = { ...DEFAULT_LIMITS, ...limits };
  const lru = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string) => {
    const e = lru.get(key);
    if (!e) return;
    lru.delete(key);
    bytes -= entryBytes(e);
  };
  // Least recently used first, approximately and at no cost to a hit (CLOCK): a hit only marks its
  // page; eviction takes the oldest, unless marked since, which goes to the young end instead.
  const evict = () => {
    while (lru.size > maxEntries || (bytes > maxBytes && lru.size > 0)) {
      const [key, entry] = lru.entries().next().value!;
      if (entry.used) {
        entry.used = false;
        lru.delete(key);
        lru.set(key, entry);
      } else drop(key);
    }
  };
  const keep = (key: string, entry: Entry) => {
    drop(key);
    const size = entryBytes(entry);
    if (size > maxBytes) return;
    lru.set(key, entry);
    bytes += size;
    evict();
  };

  const queue: string[] = [];
  let busy = false;
  const compressNext = () => {
    let key: string | undefined;
    let entry: Entry | undefined;
    while ((key = queue.shift()) !== undefined) {
      entry = lru.get(key);
      if (entry && !entry.br) break;
    }
    if (!key || !entry) return void (busy = false);
    busy = true;
    const target = entry;
    const done = () => {
      // Counted only if the page is still the one in the cache.
      if (lru.get(key) === target && target.br) {
        bytes += target.br.length;
        evict();
      }
      compressNext();
    };
    addBrotli(target).then(done, done);
  };

  return {
    get(key) {
      const entry = lru.get(key);
      if (entry) {
        entry.used = true;
        return entry;
      }
      const page = release?.find(key, today());
      if (!page) return undefined;
      const loaded = release!.load(page);
      keep(key, loaded);
      loaded.grew = (n) => {
        if (lru.get(key) !== loaded) return;
        bytes += n;
        evict();
      };
      return loaded;
    },
    set(key, entry) {
      keep(key, entry);
      if (!entry.br && lru.get(key) === entry && queue.length < maxQueued) {
        queue.push(key);
        if (!busy) compressNext();
      }
    },
    clear() {
      lru.clear();
      queue.length = 0;
      bytes = 0;
    },
    size: () => ({ entries: lru.size, bytes, queued: queue.length, release: release ? Object.keys(release.index.pages).length : 0 }),
  };
}

const isoToday = () => new Date().toISOString().slice(0, 10);

/** Brotli 11 of an entry, in the thread pool. */
const addBrotli = (entry: Entry) =>
  new Promise<void>((resolve, reject) =>
    brotliCompress(entry.identity!, brotliOptions, (error, br) => {
      if (error) return reject(error);
      entry.br = br;
      resolve();
    }),
  );

const brotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } };
