import { join } from 'node:path';
import type { Logger } from '@codiesvibe/shared';
import { asPromise, openSqliteDatabase, type SqliteDatabase } from '@codiesvibe/shared/sqlite';
import type { Statement } from 'better-sqlite3';
import { importNedbSearchData } from './nedb-import.js';
import { SEARCH_STORE_MIGRATIONS } from './search-store.migrations.js';
import type { QueryLogEntry, SearchStore, StoredEmbedding } from './search.store.js';

/** The database file inside DATA_DIR. */
export const SEARCH_STORE_FILE = 'search.sqlite';

/** Query log entries older than this are deleted, as MongoDB's TTL index does. */
const QUERY_LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** Expired entries are deleted at open and then once per this many logged queries. */
const PRUNE_EVERY = 500;

export interface EmbeddedSearchStoreOptions {
  /** Where the NeDB import is reported. */
  logger?: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

interface EmbeddingRow {
  slug: string;
  model: string;
  content_hash: string;
  vector: Buffer;
}

/**
 * The embedded default (MONGODB_URI unset): one SQLite file in DATA_DIR (`search.sqlite`) that
 * every replica opens at once, through the same kit as nestjs-api's store (WAL, busy timeout,
 * migrations). Embeddings and the query log can be recomputed or lost without harm, so commits
 * are synced at checkpoints only (`normal`): they survive a killed process, not a power cut.
 */
export class EmbeddedSearchStore implements SearchStore {
  readonly kind = 'embedded' as const;
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #saveEmbedding: Statement;
  readonly #logQuery: Statement;
  readonly #findEmbeddings: Statement;
  readonly #recentQueries: Statement;
  #loggedSincePrune = 0;

  private constructor(db: SqliteDatabase, now: () => Date) {
    this.#db = db;
    this.#now = now;
    this.#saveEmbedding = db.prepare(
      'INSERT INTO embeddings (model, slug, content_hash, vector) VALUES (?, ?, ?, ?) ON CONFLICT (model, slug) DO UPDATE SET content_hash = excluded.content_hash, vector = excluded.vector',
    );
    this.#logQuery = db.prepare('INSERT INTO query_log (at, entry) VALUES (?, ?)');
    this.#findEmbeddings = db.prepare(
      'SELECT slug, model, content_hash, vector FROM embeddings WHERE model = ? AND slug IN (SELECT value FROM json_each(?))',
    );
    this.#recentQueries = db.prepare('SELECT entry FROM query_log ORDER BY at DESC, id DESC LIMIT ?').pluck();
  }

  /** Opens (or creates) the store in `dataDir`; without it everything stays in memory (tests). */
  static open(dataDir?: string, options: EmbeddedSearchStoreOptions = {}): Promise<EmbeddedSearchStore> {
    return asPromise(() => {
      const db = openSqliteDatabase({
        file: dataDir ? join(dataDir, SEARCH_STORE_FILE) : ':memory:',
        migrations: SEARCH_STORE_MIGRATIONS,
        durability: 'normal',
      });
      const store = new EmbeddedSearchStore(db, options.now ?? (() => new Date()));
      try {
        if (dataDir) store.#importNedb(dataDir, options.logger);
        store.#pruneQueryLog();
      } catch (error) {
        db.close();
        throw error;
      }
      return store;
    });
  }

  #importNedb(dataDir: string, logger: EmbeddedSearchStoreOptions['logger']): void {
    const done = importNedbSearchData(this.#db, dataDir, {
      embedding: (entry) => this.#saveOne(entry),
      query: (entry) => this.#insertQuery(entry),
    });
    if (!done) return;
    logger?.info(
      { files: done.files, keptAs: done.keptAs, ...done.summary },
      `moved ${done.summary.embeddings} embeddings and ${done.summary.queries} logged queries from the NeDB store into ${SEARCH_STORE_FILE}; the old files are kept renamed`,
    );
    if (done.summary.skipped > 0 || done.unreadableLines > 0)
      logger?.warn(
        { skipped: done.summary.skipped, unreadableLines: done.unreadableLines },
        'some NeDB records had an unexpected shape; they stay in the kept files',
      );
  }

  findEmbeddings(model: string, slugs: readonly string[]): Promise<StoredEmbedding[]> {
    return asPromise(() => {
      if (slugs.length === 0) return [];
      // json_each keeps one statement for any number of slugs.
      const rows = this.#findEmbeddings.all(model, JSON.stringify(slugs)) as EmbeddingRow[];
      return rows.map((row) => ({
        slug: row.slug,
        model: row.model,
        contentHash: row.content_hash,
        vector: Array.from(
          new Float64Array(
            row.vector.buffer,
            row.vector.byteOffset,
            row.vector.byteLength / Float64Array.BYTES_PER_ELEMENT,
          ),
        ),
      }));
    });
  }

  saveEmbeddings(entries: readonly StoredEmbedding[]): Promise<void> {
    return asPromise(() =>
      this.#db.transaction(() => {
        for (const entry of entries) this.#saveOne(entry);
      })(),
    );
  }

  logQuery(entry: QueryLogEntry): Promise<void> {
    return asPromise(() => {
      this.#insertQuery(entry);
      if (++this.#loggedSincePrune >= PRUNE_EVERY) this.#pruneQueryLog();
    });
  }

  recentQueries(limit: number): Promise<QueryLogEntry[]> {
    return asPromise(() =>
      (this.#recentQueries.all(limit) as string[]).map((json) => {
        const entry = JSON.parse(json) as QueryLogEntry & { at: string };
        return { ...entry, at: new Date(entry.at) };
      }),
    );
  }

  ping(): Promise<void> {
    return asPromise(() => {
      this.#db.prepare('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    return Promise.resolve();
  }

  #saveOne(entry: StoredEmbedding): void {
    this.#saveEmbedding.run(
      entry.model,
      entry.slug,
      entry.contentHash,
      Buffer.from(Float64Array.from(entry.vector).buffer),
    );
  }

  #insertQuery(entry: QueryLogEntry): void {
    this.#logQuery.run(entry.at.toISOString(), JSON.stringify(entry));
  }

  #pruneQueryLog(): void {
    this.#loggedSincePrune = 0;
    this.#db
      .prepare('DELETE FROM query_log WHERE at < ?')
      .run(new Date(this.#now().getTime() - QUERY_LOG_RETENTION_MS).toISOString());
  }
}
