import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { FeedbackConfig } from '../src/config.js';
import type { Store } from '../src/store/db.js';
import { allReports } from '../src/store/feedback.js';

/** The PostgreSQL server of this project's machines (trust authentication, database test). */
export const POSTGRES = process.env.DALIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;
/** Whether the PostgreSQL server answers; where it does not, the PostgreSQL half says it was skipped. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      console.log(`PostgreSQL is not reachable at ${POSTGRES}: the PostgreSQL half of the store tests is skipped.`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export interface TestDatabase {
  database: FeedbackConfig['database'];
  drop(): Promise<void>;
}

/** A fresh, empty database of each kind: a SQLite file in a temporary folder, or a PostgreSQL schema of its own. */
export const databases: Record<'sqlite' | 'postgres', () => Promise<TestDatabase>> = {
  sqlite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'dalil-store-'));
    return Promise.resolve({
      database: { kind: 'sqlite', path: join(dir, 'dalil.sqlite') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    });
  },
  postgres: async () => {
    const schema = `dalil_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = `${POSTGRES}${POSTGRES.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return {
      database: { kind: 'postgres', url, poolSize: 4 },
      drop: async () => {
        const c = new pg.Client({ connectionString: POSTGRES });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  },
};

/** Every report of a store, oldest first (the export's batches, gathered). */
export async function reportsIn(store: Store) {
  const rows = [];
  for await (const batch of allReports(store)) rows.push(...batch);
  return rows;
}
