import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/**
 * The store could not do what was asked: it is down, locked by another process, full or
 * read-only. Readers get a localized 503 "try later" (the guides are unaffected); nothing stored
 * before is lost.
 */
export class StoreUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super(`the feedback store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** SQLite's codes of a file that is locked, full, read-only or unreadable; PostgreSQL's of a server out of reach. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|NOTADB|CORRUPT|PERM|AUTH)/;
const BUSY = /^SQLITE_(BUSY|LOCKED)/;
/** PostgreSQL classes: 08 connection, 53 resources, 57 operator intervention (shutdown…), 58 system. */
const PG_UNAVAILABLE = /^(08|53|57|58)/;

/** Whether an error of the database driver means the store cannot be used now (rather than a wrong query). */
export function unavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return SQLITE_UNAVAILABLE.test(code);
    if (/^[0-9A-Z]{5}$/.test(code)) return PG_UNAVAILABLE.test(code);
    // Node's own: ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ENOSPC, EACCES …
    return /^E[A-Z]+$/.test(code);
  }
  // pg without a code: "Connection terminated", "timeout exceeded when trying to connect", "Query read timeout".
  return error instanceof Error && /connect|terminated|timeout/i.test(error.message);
}

/** Whether an error (or the one a StoreUnavailable carries) is SQLite's "locked by another connection". */
export function locked(error: unknown): boolean {
  const inner = error instanceof StoreUnavailable ? error.cause : error;
  const code = (inner as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY.test(code);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GuardOptions {
  /** Told of each failure that makes the store unavailable (its cause). */
  onFailure: (error: unknown) => void;
  /**
   * How long statements outside a transaction keep trying while another process holds the SQLite
   * file's write lock, counted from the first that met it (statements wait for the connection in
   * turn: none waits longer than this in all). Between tries the event loop runs: pages never wait.
   */
  busyRetryMs: number;
}

/** When the statements of a store first met the write lock of another process, until one gets through. */
interface Busy {
  since: number | undefined;
}

/**
 * A Kysely dialect around another: every failure of the store becomes StoreUnavailable (told to
 * `onFailure`), and a statement that meets SQLite's write lock is tried again, asynchronously,
 * for `busyRetryMs`, instead of blocking the process in SQLite's own busy wait.
 */
export class GuardedDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly options: GuardOptions,
  ) {}
  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }
  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver(), this.options, { since: undefined });
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }
}

class GuardedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    private readonly options: GuardOptions,
    private readonly busy: Busy,
  ) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    for (;;) {
      try {
        const result = await this.inner.executeQuery<R>(query);
        this.busy.since = undefined;
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const locked = typeof code === 'string' && BUSY.test(code);
        if (locked) this.busy.since ??= Date.now();
        // Inside a transaction a statement is not tried alone again: the transaction fails whole.
        if (locked && !this.inTransaction && Date.now() - this.busy.since! < this.options.busyRetryMs) await sleep(25);
        else throw guarded(error, this.options);
      }
    }
  }
  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw guarded(error, this.options);
    }
  }
}

function guarded(error: unknown, options: GuardOptions): unknown {
  if (error instanceof StoreUnavailable || !unavailable(error)) return error;
  options.onFailure(error);
  return new StoreUnavailable(error);
}

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly options: GuardOptions,
    private readonly busy: Busy,
  ) {}
  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw guarded(error, this.options);
    }
  }
  init() {
    return this.run(() => this.inner.init());
  }
  acquireConnection() {
    return this.run(async () => new GuardedConnection(await this.inner.acquireConnection(), this.options, this.busy));
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const c = connection as GuardedConnection;
    return this.run(async () => {
      await this.inner.beginTransaction(c.inner, settings);
      c.inTransaction = true;
    });
  }
  commitTransaction(connection: DatabaseConnection) {
    const c = connection as GuardedConnection;
    c.inTransaction = false;
    return this.run(() => this.inner.commitTransaction(c.inner));
  }
  rollbackTransaction(connection: DatabaseConnection) {
    const c = connection as GuardedConnection;
    c.inTransaction = false;
    return this.run(() => this.inner.rollbackTransaction(c.inner));
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection((connection as GuardedConnection).inner);
  }
  destroy() {
    return this.inner.destroy();
  }
}
