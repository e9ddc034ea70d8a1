import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, type Migration } from './migrations.js';
import { SqliteStoreError } from './sqlite-store.error.js';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/**
 * How a commit survives trouble. Both survive a killed process (SIGKILL, OOM): a commit is in the
 * write-ahead log before it returns. `full` also syncs the log to disk on every commit, so it
 * survives a power cut; `normal` syncs at checkpoints only and suits data that may be recomputed.
 */
export type Durability = 'full' | 'normal';

export interface OpenSqliteOptions {
  /** The database file (its folder is created), or `:memory:` for a private in-memory database. */
  file: string;
  /** The schema, in order; see `applyMigrations`. */
  migrations: readonly Migration[];
  /** `full` unless told. */
  durability?: Durability;
  /**
   * How long a statement waits for another connection's write lock before failing (5000 ms unless
   * told). Replicas of a service share the file, so a writer may have to wait for another one.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) a database that several processes use at once: write-ahead logging, so
 * readers never block the one writer and a killed process leaves nothing half-written; a busy
 * timeout, so writers queue instead of failing; foreign keys on; the schema migrated forward.
 *
 * @throws SqliteStoreError when the file cannot be opened, is not a database, or has a schema
 *   newer than `migrations` knows.
 */
export function openSqliteDatabase(options: OpenSqliteOptions): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const inMemory = options.file === ':memory:';
  if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(options.file, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new SqliteStoreError(`cannot open ${options.file}: ${messageOf(error)}${hintFor(error)}`, {
      cause: error,
    });
  }
  try {
    if (!inMemory) enableWriteAheadLog(db, busyTimeoutMs);
    db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    applyMigrations(db, options.migrations, options.file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof SqliteStoreError) throw error;
    throw new SqliteStoreError(`cannot open ${options.file}: ${messageOf(error)}${hintFor(error)}`, {
      cause: error,
    });
  }
}

/** What to do about the errors a person can fix. */
function hintFor(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return '; restore it from a backup, or move it away to start an empty store';
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM')
    return '; check that the folder and file are writable by this user';
  return '';
}

/**
 * Switches the file to WAL mode (a persistent setting, so only the first open ever changes it).
 * The switch needs a moment alone with the file; replicas starting together retry it, because
 * SQLite answers SQLITE_BUSY here without waiting on the busy timeout.
 */
function enableWriteAheadLog(db: SqliteDatabase, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new SqliteStoreError(
          `cannot switch to write-ahead logging (journal mode stays "${String(mode)}")`,
        );
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      sleepSync(10 + Math.random() * 40);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Blocks the thread: only used while opening, before the service serves anything. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A probe that says whether another connection (another replica, another process) committed to
 * the database since the probe last answered. It reads `PRAGMA data_version`, which costs
 * microseconds, so a per-process cache can check it on every lookup and never serve data older
 * than another replica's last write. This connection's own commits do not count: whoever writes
 * invalidates its own cache.
 */
export function createChangeProbe(db: SqliteDatabase): () => boolean {
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seen = dataVersion.get();
  return () => {
    const current = dataVersion.get();
    if (current === seen) return false;
    seen = current;
    return true;
  };
}

/**
 * The result of synchronous work (better-sqlite3 never awaits) as a promise, for repository
 * interfaces that are asynchronous because their other adapter (MongoDB) is: a throw becomes a
 * rejection, as callers of a promise-returning method expect.
 */
export function asPromise<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
