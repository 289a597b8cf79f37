import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from './db.js';

/**
 * Counts events per key and per time window (reports per address per minute, failed sign-ins per
 * account and per address): in memory for one copy, in the store when copies share it. Keys are
 * hashed with a salt: an address is never stored, nor kept in memory as it came.
 */
export interface Throttle {
  /** Counts one more event for the key, and says whether it is still within the limit. */
  hit(key: string, limit: number, windowMs: number): Promise<boolean>;
  /** Events counted for the key in the current window. */
  count(key: string, windowMs: number): Promise<number>;
}

const windowOf = (windowMs: number, now = Date.now()) => new Date(Math.floor(now / windowMs) * windowMs).toISOString();
export const hashKey = (salt: string, key: string) => createHash('sha256').update(salt).update('\0').update(key).digest('base64url').slice(0, 32);

/** In memory, bounded: at most `maxKeys` keys; when full, past windows go first, then everything. */
export function memoryThrottle(salt: string, maxKeys = 50_000): Throttle & { size(): number } {
  const counts = new Map<string, { window: string; count: number }>();
  const read = (key: string, windowMs: number) => {
    const k = hashKey(salt, `${windowMs}:${key}`);
    const w = windowOf(windowMs);
    const entry = counts.get(k);
    return { k, w, current: entry && entry.window === w ? entry.count : 0 };
  };
  return {
    hit(key, limit, windowMs) {
      const { k, w, current } = read(key, windowMs);
      if (!counts.has(k) && counts.size >= maxKeys) {
        const now = windowOf(windowMs);
        for (const [old, e] of counts) if (e.window !== now) counts.delete(old);
        if (counts.size >= maxKeys) counts.clear();
      }
      counts.set(k, { window: w, count: current + 1 });
      return Promise.resolve(current + 1 <= limit);
    },
    count: (key, windowMs) => Promise.resolve(read(key, windowMs).current),
    size: () => counts.size,
  };
}

/** In the store, shared by every copy; rows of past windows are pruned with the reports. */
export function storeThrottle(store: Store, salt: string): Throttle {
  return {
    async hit(key, limit, windowMs) {
      const k = hashKey(salt, `${windowMs}:${key}`);
      const row = await store.db
        .insertInto('throttle')
        .values({ key: k, window: windowOf(windowMs), count: 1 })
        .onConflict((oc) => oc.columns(['key', 'window']).doUpdateSet({ count: sql`throttle.count + 1` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      return row.count <= limit;
    },
    async count(key, windowMs) {
      const row = await store.db
        .selectFrom('throttle')
        .select('count')
        .where('key', '=', hashKey(salt, `${windowMs}:${key}`))
        .where('window', '=', windowOf(windowMs))
        .executeTakeFirst();
      return row?.count ?? 0;
    },
  };
}

/** The salt the copies share, made by the first migration. */
export async function addressSalt(store: Store): Promise<string> {
  const row = await store.db.selectFrom('settings').select('value').where('name', '=', 'address-salt').executeTakeFirstOrThrow();
  return row.value;
}
