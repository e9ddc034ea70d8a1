/**
 * The embedded store kit: SQLite files shared by every replica of a service (write-ahead log,
 * busy timeout, versioned migrations, a change probe for per-process caches), and the reader of
 * NeDB data files that moves the previous embedded store's data forward.
 * Needs `better-sqlite3` (major 12), which each service using this entry point depends on.
 */
export {
  asPromise,
  createChangeProbe,
  openSqliteDatabase,
  type Durability,
  type OpenSqliteOptions,
  type SqliteDatabase,
} from './sqlite-database.js';
export { applyMigrations, type Migration } from './migrations.js';
export { readNedbDatafile, retireNedbDatafile, type NedbDatafile } from './nedb-datafile.js';
export { importNedbOnce, type NedbImport, type NedbImportOptions } from './nedb-import.js';
export { SqliteStoreError } from './sqlite-store.error.js';
