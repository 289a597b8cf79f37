import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import type SQLiteModule from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteAdapter, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { FeedbackConfig } from '../config.js';
import { type Dialect, migrations } from './migrations.js';
import type { Database } from './schema.js';

/** SQLite's migration lock: an immediate transaction on the file, which other copies wait for. */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>) {
    await sql`begin immediate`.execute(db);
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
   * Whether the store can be used: its migrations are applied. Tried again at most every 10 s
   * while the store is down (reading guides never waits on it; reports get a "try later").
   */
  available(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens the store the configuration names: SQLite in a file (WAL), or a PostgreSQL pool with timeouts. */
export function openStore(database: FeedbackConfig['database'], root: string, onError: (error: unknown) => void = () => undefined): Store {
  let db: Kysely<Database>;
  let dialect: Dialect;
  if (database.kind === 'sqlite') {
    const path = isAbsolute(database.path) ? database.path : join(root, database.path);
    mkdirSync(dirname(path), { recursive: true });
    const SQLite = sqliteBinding();
    const file = new SQLite(path, { timeout: 5000 });
    file.pragma('journal_mode = WAL');
    file.pragma('synchronous = NORMAL');
    file.pragma('foreign_keys = ON');
    dialect = 'sqlite';
    // The store's queries are few and always the same: each is prepared once (at most 64 kept).
    const statements = new Map<string, SQLiteModule.Statement>();
    const cached = {
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
    db = new Kysely<Database>({ dialect: new LockingSqliteDialect({ database: cached }) });
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
    pool.on('error', onError);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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
    } else await migrateWith(db);
    migrated = true;
    return true;
  };
  return {
    dialect,
    db,
    available() {
      if (migrated) return Promise.resolve(true);
      if (trying) return trying;
      if (Date.now() - lastTry < 10_000) return Promise.resolve(false);
      lastTry = Date.now();
      trying = migrate()
        .catch((error: unknown) => {
          onError(error);
          return false;
        })
        .finally(() => (trying = undefined));
      return trying;
    },
    close: () => db.destroy(),
  };
}
