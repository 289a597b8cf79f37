import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * Counts events per key over a sliding window (reports per address per minute, failed sign-ins per
 * account and per address): in memory for one copy, in the store when copies share it. The count
 * is the current window's events plus the previous window's, weighted by how much of it the
 * sliding window still covers: a client cannot double its allowance by straddling the edge of a
 * window. Keys are hashed with a salt: an address is never stored, nor kept in memory as it came.
 */
export interface Throttle {
  /** Counts one more event for the key, and says whether it is still within the limit. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /** Events counted for the key over the last window. */
  count(key: string, windowMs: number): Promise<number>;
  /** Takes back one event counted in the current window (an attempt reserved that succeeded). */
  release(key: string, windowMs: number): Promise<void>;
}

const windowOf = (windowMs: number, now: number) => new Date(Math.floor(now / windowMs) * windowMs).toISOString();
/** The events of the last `windowMs`: the current window's, and the share of the previous one still inside. */
const sliding = (current: number, previous: number, windowMs: number, now: number) => current + previous * (1 - (now % windowMs) / windowMs);
/** Who sent an answer, as far as telling sources apart: the address hashed with the salt and the day (it cannot be followed from one day to the next). */
export const sourceOf = (salt: string, address: string, now = new Date()) => hashKey(`${salt}:${now.toISOString().slice(0, 10)}`, address);
export const hashKey = (salt: string, key: string) => createHash('sha256').update(salt).update('\0').update(key).digest('base64url').slice(0, 32);

/**
 * In memory, bounded: at most `maxKeys` keys. When full, the counter used least lately that is
 * within its limit goes, one at a time: a flood of new keys never frees one that is over its limit
 * (a locked account, an address sending too much); if every counter is over its limit, the new key
 * is refused.
 */
export function memoryThrottle(salt: string, maxKeys = 50_000, clock: () => number = Date.now): Throttle & { size(): number } {
  const counts = new Map<string, { window: string; windowMs: number; count: number; previous: number; limit: number }>();
  const read = (key: string, windowMs: number) => {
    const now = clock();
    const k = hashKey(salt, `${windowMs}:${key}`);
    const w = windowOf(windowMs, now);
    const entry = counts.get(k);
    const current = entry?.window === w ? entry.count : 0;
    const previous = entry?.window === w ? entry.previous : entry?.window === windowOf(windowMs, now - windowMs) ? entry.count : 0;
    return { k, w, now, current, previous };
  };
  const evictOne = (now: number) => {
    for (const [k, e] of counts) {
      const w = windowOf(e.windowMs, now);
      const current = e.window === w ? e.count : 0;
      const previous = e.window === w ? e.previous : e.window === windowOf(e.windowMs, now - e.windowMs) ? e.count : 0;
      if (sliding(current, previous, e.windowMs, now) <= e.limit) return counts.delete(k);
    }
    return false;
  };
  return {
    hit(key, limit, windowMs) {
      const { k, w, now, current, previous } = read(key, windowMs);
      if (!counts.has(k) && counts.size >= maxKeys && !evictOne(now)) return Promise.resolve(false);
      // The most recently used last: eviction starts from the other end.
      counts.delete(k);
      counts.set(k, { window: w, windowMs, count: current + 1, previous, limit });
      return Promise.resolve(sliding(current + 1, previous, windowMs, now) <= limit);
    },
    count: (key, windowMs) => {
      const { now, current, previous } = read(key, windowMs);
      return Promise.resolve(sliding(current, previous, windowMs, now));
    },
    release(key, windowMs) {
      const { k, w } = read(key, windowMs);
      const entry = counts.get(k);
      if (entry?.window === w && entry.count > 0) entry.count -= 1;
      return Promise.resolve();
    },
    size: () => counts.size,
  };
}

/** In the store, shared by every copy; rows of past windows are pruned with the reports. */
export function storeThrottle(store: Store, salt: string, clock: () => number = Date.now): Throttle {
  const previousCount = async (k: string, windowMs: number, now: number) => {
    const row = await store.db
      .selectFrom('throttle')
      .select('count')
      .where('key', '=', k)
      .where('window', '=', windowOf(windowMs, now - windowMs))
      .executeTakeFirst();
    return row?.count ?? 0;
  };
  return {
    async hit(key, limit, windowMs) {
      const now = clock();
      const k = hashKey(salt, `${windowMs}:${key}`);
      const row = await store.db
        .insertInto('throttle')
        .values({ key: k, window: windowOf(windowMs, now), count: 1 })
        .onConflict((oc) => oc.columns(['key', 'window']).doUpdateSet({ count: sql`throttle.count + 1` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      return sliding(row.count, await previousCount(k, windowMs, now), windowMs, now) <= limit;
    },
    async count(key, windowMs) {
      const now = clock();
      const k = hashKey(salt, `${windowMs}:${key}`);
      const rows = await store.db
        .selectFrom('throttle')
        .select(['window', 'count'])
        .where('key', '=', k)
        .where('window', 'in', [windowOf(windowMs, now), windowOf(windowMs, now - windowMs)])
        .execute();
      const of = (w: string) => rows.find((r) => r.window === w)?.count ?? 0;
      return sliding(of(windowOf(windowMs, now)), of(windowOf(windowMs, now - windowMs)), windowMs, now);
    },
    async release(key, windowMs) {
      const now = clock();
      await store.db
        .updateTable('throttle')
        .set({ count: sql`count - 1` })
        .where('key', '=', hashKey(salt, `${windowMs}:${key}`))
        .where('window', '=', windowOf(windowMs, now))
        .where('count', '>', 0)
        .execute();
    },
  };
}

/** The salt the copies share, made by the first migration. */
export async function addressSalt(store: Store): Promise<string> {
  const row = await store.db.selectFrom('settings').select('value').where('name', '=', 'address-salt').executeTakeFirstOrThrow();
  return row.value;
}
