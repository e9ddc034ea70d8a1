import type { Migration } from '@codiesvibe/shared/sqlite';

/**
 * The schema of fastify-api's embedded store, forward only: append a migration, never edit one
 * that has shipped. Each runs in one transaction with its version (`PRAGMA user_version`).
 */
export const SEARCH_STORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'embeddings by model and slug, the query log, store facts',
    up(db) {
      db.exec(`
        -- A vector is the float64 array of the model, stored as its bytes: exact and compact.
        CREATE TABLE embeddings (
          model TEXT NOT NULL,
          slug TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          vector BLOB NOT NULL,
          PRIMARY KEY (model, slug)
        ) WITHOUT ROWID;

        -- One answered search; the entry is JSON, at is its ISO time (sorts as time).
        CREATE TABLE query_log (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          entry TEXT NOT NULL
        );
        CREATE INDEX query_log_at ON query_log (at);

        CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      `);
    },
  },
];
