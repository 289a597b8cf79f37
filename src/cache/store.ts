import { brotliCompress, constants } from 'node:zlib';
import { type Entry, entryBytes } from './entry.js';

export interface CacheLimits {
  /** Pages met after start kept at most (least recently used dropped first). */
  maxEntries: number;
  /** Bytes those pages may hold in all their encodings. */
  maxBytes: number;
  /** Pages waiting for their brotli at most; more are not queued (they stay in gzip). */
  maxQueued: number;
}

export const DEFAULT_LIMITS: CacheLimits = { maxEntries: 500, maxBytes: 64 * 1024 * 1024, maxQueued: 16 };

export interface PageCache {
  get(key: string): Entry | undefined;
  /** Stores an entry: pages known at start are kept; the others in a bounded LRU. */
  set(key: string, entry: Entry): void;
  /** Builds brotli 11 for every kept page that lacks it; resolves when done. */
  compressKnown(): Promise<void>;
  /** Keys the cache keeps for good (pages known at start). */
  known: Set<string>;
  /** Forgets every page (they are rendered again as they are asked): pages that depend on the day changed. */
  clear(): void;
  size(): { known: number; dynamic: number; bytes: number; queued: number };
}

/**
 * The render cache. A page is a pure function of its key, so each is rendered once, compressed
 * once (gzip at once, brotli 11 off the request path) and answered from memory. Pages known at
 * start are kept; pages met later live in an LRU bounded by count and by bytes. Their brotli is
 * built when one is asked a second time, one at a time, from a short queue of keys: a page the
 * LRU has dropped meanwhile is skipped, so background compression never holds more than the
 * page being compressed.
 */
export function createCache(limits: Partial<CacheLimits> = {}): PageCache {
  const { maxEntries, maxBytes, maxQueued } = { ...DEFAULT_LIMITS, ...limits };
  const known = new Set<string>();
  const kept = new Map<string, Entry>();
  const lru = new Map<string, Entry>();
  const asked = new WeakSet<Entry>();
  let bytes = 0;

  const drop = (key: string) => {
    const e = lru.get(key);
    if (!e) return;
    lru.delete(key);
    bytes -= entryBytes(e);
  };
  const evict = () => {
    while (lru.size > maxEntries || (bytes > maxBytes && lru.size > 0)) drop(lru.keys().next().value!);
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
    known,
    get(key) {
      const hit = kept.get(key);
      if (hit) return hit;
      const entry = lru.get(key);
      if (entry) {
        lru.delete(key);
        lru.set(key, entry);
        // A page met later is asked again: worth its brotli, built off the request path.
        if (!entry.br && !asked.has(entry)) {
          asked.add(entry);
          if (queue.length < maxQueued) {
            queue.push(key);
            if (!busy) compressNext();
          }
        }
      }
      return entry;
    },
    set(key, entry) {
      if (known.has(key)) {
        kept.set(key, entry);
        return;
      }
      drop(key);
      const size = entryBytes(entry);
      if (size > maxBytes) return;
      lru.set(key, entry);
      bytes += size;
      evict();
    },
    clear() {
      kept.clear();
      lru.clear();
      queue.length = 0;
      bytes = 0;
    },
    async compressKnown() {
      for (const entry of kept.values()) if (!entry.br) await addBrotli(entry);
    },
    size: () => ({ known: kept.size, dynamic: lru.size, bytes, queued: queue.length }),
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
