import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import type SQLiteModule from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteAdapter, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { FeedbackConfig } from '../config.js';
import { GuardedDialect, locked, sleep } from './guard.js';
import { type Dialect, migrations } from './migrations.js';
import type { Database } from './schema.js';

/** SQLite's migration lock: an immediate transaction on the file, which other copies wait for (30 s at most). */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>) {
    for (const until = Date.now() + 30_000; ;) {
      try {
        return void (await sql`begin immediate`.execute(db));
      } catch (error) {
        if (!locked(error) || Date.now() > until) throw error;
        await sleep(50);
      }
    }
  }
  override async releaseMigrationLock(db: Kysely<unknown>) {
    await sql`commit`.execute(db);
  }
}
class LockingSqliteDialect extends SqliteDialect {
  override createAdapter() {
    return new LockingSqliteAdapter();
  }
}

/**
 * SQLite's binding for this Node: better-sqlite3 13 (Node-API) from Node 22 on. Version 12 aborts
 * Node 24 when the garbage collector frees a statement outside JavaScript (Node 24.19 made
 * ObjectWrap's destructor check for one: WiseLibs/better-sqlite3#1515), and 13 does not load on
 * Node 20, which keeps 12 (the package "better-sqlite3-node20").
 */
function sqliteBinding(): typeof SQLiteModule {
  const require = createRequire(import.meta.url);
  return (Number(process.versions.node.split('.')[0]) >= 22 ? require('better-sqlite3') : require('better-sqlite3-node20')) as typeof SQLiteModule;
}

/** The key of the advisory lock copies take to migrate a PostgreSQL database one at a time. */
const MIGRATION_LOCK = 7_460_182;

export interface Store {
  dialect: Dialect;
  db: Kysely<Database>;
  /**
   * Whether the store can be used: opened, its migrations applied. Tried again at most every 2 s
   * while it cannot be (reading guides never waits on it; reports get a "try later"), so that it is
   * used again within seconds of coming back.
   */
  available(): Promise<boolean>;
  close(): Promise<void>;
}

/** SQLite's own wait for another process's write lock: none, since it would block the process; waiting is done by retries (guard.ts). */
const SQLITE_BUSY_MS = 0;
/** How long a statement keeps trying while the SQLite file is locked by another process, before "try later". */
const BUSY_RETRY_MS = 1500;
/** How long a copy keeps trying to migrate a SQLite file that copies starting with it hold locked. */
const MIGRATION_WAIT_MS = 10_000;

/** Calls `report` at most once a minute, with how many more failures came in between. */
function rateLimited(report: (error: unknown, more: number) => void, everyMs = 60_000) {
  let last = 0;
  let more = 0;
  return (error: unknown) => {
    if (Date.now() - last < everyMs) return void (more += 1);
    report(error, more);
    last = Date.now();
    more = 0;
  };
}

/**
 * Opens the store the configuration names: SQLite in a file (WAL), or a PostgreSQL pool with
 * timeouts. Nothing is opened here: the file or the server is reached when first used, so that a
 * store that cannot be used at start (a read-only file, a full disk, a server down) does not stop
 * the server, and is used as soon as it can be. Failures are told to `onError` (its cause; at most
 * once a minute, with the number of failures since).
 */
export function openStore(database: FeedbackConfig['database'], root: string, onError: (error: unknown, more: number) => void = () => undefined): Store {
  let db: Kysely<Database>;
  let dialect: Dialect;
  let migrator: (() => Kysely<Database>) | undefined;
  const report = rateLimited(onError);
  const guard = { onFailure: report, busyRetryMs: BUSY_RETRY_MS };
  if (database.kind === 'sqlite') {
    const path = isAbsolute(database.path) ? database.path : join(root, database.path);
    dialect = 'sqlite';
    const open = () => {
      mkdirSync(dirname(path), { recursive: true });
      const SQLite = sqliteBinding();
      const file = new SQLite(path, { timeout: SQLITE_BUSY_MS });
      try {
        file.pragma('journal_mode = WAL');
        file.pragma('synchronous = NORMAL');
        file.pragma('foreign_keys = ON');
      } catch (error) {
        file.close();
        throw error;
      }
      // The store's queries are few and always the same: each is prepared once (at most 64 kept).
      const statements = new Map<string, SQLiteModule.Statement>();
      return {
        prepare(query: string) {
          let statement = statements.get(query);
          if (!statement) {
            if (statements.size >= 64) statements.clear();
            statements.set(query, (statement = file.prepare(query)));
          }
          return statement;
        },
        close: () => file.close(),
      };
    };
    db = new Kysely<Database>({ dialect: new GuardedDialect(new LockingSqliteDialect({ database: async () => Promise.resolve(open()) }), guard) });
    // Migrations use a connection of their own, outside the guard: a lock held by a copy starting at
    // the same time is waited for (below), not reported as the store being unavailable.
    migrator = () => new Kysely<Database>({ dialect: new LockingSqliteDialect({ database: async () => Promise.resolve(open()) }) });
  } else {
    dialect = 'postgres';
    const pool = new pg.Pool({
      connectionString: database.url,
      max: database.poolSize,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 5000,
      query_timeout: 6000,
    });
    // A connection lost while idle must not take the process down.
    pool.on('error', report);
    db = new Kysely<Database>({ dialect: new GuardedDialect(new PostgresDialect({ pool }), guard) });
  }
  let migrated = false;
  let lastTry = 0;
  let trying: Promise<boolean> | undefined;
  const migrateWith = async (on: Kysely<Database>) => {
    // Kysely looks for its own tables in every schema unless told which: name the current one.
    const schema = dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(on)).rows[0]?.schema : undefined;
    const provider = { getMigrations: async () => Promise.resolve(migrations(dialect)) };
    const { error } = await new Migrator({ db: on, provider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error('the migrations failed');
  };
  const migrate = async () => {
    if (dialect === 'postgres') {
      // The migrator creates its own tables before it takes its lock: copies starting at once on an
      // empty database would race there. A session-wide advisory lock around the whole run serializes them.
      await db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
        try {
          await migrateWith(conn);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
        }
      });
    } else {
      // Copies starting at once on one file: the file's lock (its write, its journal mode) is taken
      // by one at a time, and the others try again without blocking their process, 10 s at most.
      const own = migrator!();
      try {
        for (const until = Date.now() + MIGRATION_WAIT_MS; ;) {
          try {
            await migrateWith(own);
            break;
          } catch (error) {
            if (!locked(error) || Date.now() > until) throw error;
            await sleep(50);
          }
        }
      } finally {
        await own.destroy();
      }
    }
    migrated = true;
    return true;
  };
  return {
    dialect,
    db,
    available() {
      if (migrated) return Promise.resolve(true);
      if (trying) return trying;
      if (Date.now() - lastTry < 2_000) return Promise.resolve(false);
      lastTry = Date.now();
      trying = migrate()
        .catch((error: unknown) => {
          report(error);
          return false;
        })
        .finally(() => (trying = undefined));
      return trying;
    },
    close: () => db.destroy(),
  };
}
