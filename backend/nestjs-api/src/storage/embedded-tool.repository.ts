import { join } from 'node:path';
import type { Logger } from '@codiesvibe/shared';
import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type Tool,
  type ToolFacets,
  type ToolFilters,
  type ToolInput,
  type ToolPage,
  type ToolPatch,
  type ToolSort,
} from '@codiesvibe/shared/domain';
import {
  asPromise,
  createChangeProbe,
  openSqliteDatabase,
  type SqliteDatabase,
} from '@codiesvibe/shared/sqlite';
import type { Statement } from 'better-sqlite3';
import { queryTokens } from '../search/relevance.js';
import { EmbeddedSubmissionRepository } from '../submissions/embedded-submission.repository.js';
import { importNedbTools } from './embedded/nedb-import.js';
import { relevanceExpressionOf, whereOf, type SqlFragment } from './embedded/tool-sql.js';
import { TOOL_STORE_MIGRATIONS } from './embedded/tool-store.migrations.js';
import { toolRowOf } from './embedded/tool-row.js';
import type { Vocabulary } from '../search/spelling.js';
import { ToolSearchIndex, type IndexedToolRow } from './embedded/tool-search-index.js';
import { DuplicateSlugError, type SeedResult, type ToolRepository } from './tool.repository.js';
import { facetsOfCounts, tallyOf } from './facet-counts.js';
import { newToolRecord, patchedToolRecord } from './tool-record.js';
import { appliedSort, decodeCursor, encodeCursor, type AppliedSort } from './tool-query.js';

export interface EmbeddedStoreOptions {
  /** Folder of the database file (`tools.sqlite`); created when missing. Undefined: in memory (tests). */
  dataDir?: string;
  /** Clock for timestamps; tests pass a fake one. */
  now?: () => Date;
  /** Where the NeDB import and other one-time events are reported. */
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How long a write waits for another replica's (5000 ms unless told). */
  busyTimeoutMs?: number;
}

/** The database file inside DATA_DIR. */
export const TOOL_STORE_FILE = 'tools.sqlite';

/** Prepared statements of the dynamic queries, by SQL text; the set of shapes is small. */
const MAX_CACHED_STATEMENTS = 500;

const ORDER_OF: Record<Exclude<AppliedSort, 'relevance'>, { orderBy: string; after: string }> = {
  name: { orderBy: 't.name_key, t.slug', after: '(t.name_key, t.slug) > (?, ?)' },
  newest: {
    orderBy: 't.created_at DESC, t.slug',
    after: '(t.created_at < ? OR (t.created_at = ? AND t.slug > ?))',
  },
};

interface PageRow {
  document: string;
  slug: string;
  key: string | number;
}

/**
 * The embedded default store (when MONGODB_URI is unset): one SQLite file in DATA_DIR that every
 * replica of the service opens at once (write-ahead log, busy timeout), with the same query
 * semantics as the MongoDB adapter. Relevance-ranked searches and facet counts are answered by an
 * in-process search index (`ToolSearchIndex`: posting lists, bounded top-k, facet bit masks) that
 * reads only the page's records from SQLite; searches filtered by tag and the name/newest orders
 * run in SQL (an FTS5 index of word prefixes, the shared relevance formula as an SQL expression,
 * indexes for filters and cursors). Every write is one transaction, durable once it returns.
 */
export class EmbeddedToolRepository implements ToolRepository {
  readonly kind = 'embedded' as const;
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #changedElsewhere: () => boolean;
  readonly #statements = new Map<string, Statement>();
  /** The in-process search index (see ToolSearchIndex); undefined until needed or after a change. */
  #index: ToolSearchIndex | undefined;
  /** Its own probe of other replicas' commits, apart from the one the response cache consumes. */
  readonly #indexOutdated: () => boolean;

  private constructor(db: SqliteDatabase, now: () => Date) {
    this.#db = db;
    this.#now = now;
    this.#changedElsewhere = createChangeProbe(db);
    this.#indexOutdated = createChangeProbe(db);
  }

  /**
   * Builds the search index now rather than on the first search (the service calls it while
   * starting, so the first visitor does not wait for it). Answers how many tools it holds.
   */
  warmUp(): Promise<number> {
    return asPromise(() => this.#searchIndex().size);
  }

  vocabulary(): Promise<Vocabulary> {
    return asPromise(() => this.#searchIndex().vocabulary());
  }

  /** The current index, rebuilt when this process or another replica wrote since it was built. */
  #searchIndex(): ToolSearchIndex {
    if (this.#indexOutdated() || !this.#index) {
      this.#index = this.#db.transaction(
        () =>
          new ToolSearchIndex(
            this.#statement(
              'SELECT id, slug, pricing_model, open_source, name_words, tag_words, tagline_words, description_words, name_phrase FROM tools ORDER BY slug',
            ).all() as IndexedToolRow[],
            this.#statement('SELECT tool_id, category FROM tool_categories').iterate() as Iterable<{ tool_id: number; category: string }>,
            this.#statement('SELECT tool_id, platform FROM tool_platforms').iterate() as Iterable<{ tool_id: number; platform: string }>,
          ),
      )();
    }
    return this.#index;
  }

  /** Opens (or creates) the store, migrates its schema and imports the NeDB files of an older release once. */
  static open(options: EmbeddedStoreOptions = {}): Promise<EmbeddedToolRepository> {
    return asPromise(() => {
      const { dataDir } = options;
      const db = openSqliteDatabase({
        file: dataDir ? join(dataDir, TOOL_STORE_FILE) : ':memory:',
        migrations: TOOL_STORE_MIGRATIONS,
        durability: 'full',
        ...(options.busyTimeoutMs !== undefined && { busyTimeoutMs: options.busyTimeoutMs }),
      });
      const repository = new EmbeddedToolRepository(db, options.now ?? (() => new Date()));
      try {
        if (dataDir) repository.#importNedb(dataDir, options.logger);
      } catch (error) {
        db.close();
        throw error;
      }
      return repository;
    });
  }

  #importNedb(dataDir: string, logger: EmbeddedStoreOptions['logger']): void {
    const done = importNedbTools(this.#db, dataDir, (tool) => this.#insert(tool));
    if (!done) return;
    logger?.info(
      { files: done.files, keptAs: done.keptAs, tools: done.summary.tools },
      `moved ${done.summary.tools} tools from the NeDB store into ${TOOL_STORE_FILE}; the old files are kept renamed`,
    );
    if (done.summary.skipped.length > 0 || done.unreadableLines > 0)
      logger?.warn(
        { skipped: done.summary.skipped, unreadableLines: done.unreadableLines },
        'some NeDB records were not valid tools; they stay in the kept files',
      );
  }

  /**
   * True when another process (another replica) committed to the store since the last call, so
   * a per-process response cache must drop what it holds. This process's own writes do not count.
   */
  changedElsewhere(): boolean {
    return this.#changedElsewhere();
  }

  submissions(): EmbeddedSubmissionRepository {
    return new EmbeddedSubmissionRepository(this.#db, this.#now);
  }

  list(filters: ToolFilters, sort: ToolSort, cursor: string | undefined, limit: number): Promise<ToolPage> {
    return asPromise(() => {
      const tokens = queryTokens(filters.q ?? '');
      const applied = appliedSort(sort, tokens);
      const after = cursor === undefined ? undefined : decodeCursor(cursor, filters, applied);
      if (applied === 'relevance' && !filters.tag?.length) {
        const page = this.#indexedRelevancePage(filters, tokens, after, limit);
        if (page) return page;
      }
      const where = whereOf(filters, tokens);
      // One read transaction: the page and the total come from the same snapshot.
      return this.#db.transaction(() => {
        const rows =
          applied === 'relevance'
            ? this.#relevancePage(where, tokens, after, limit)
            : this.#orderedPage(where, applied, after, limit);
        const total = this.#statement(`SELECT count(*) FROM tools t WHERE ${where.sql}`)
          .pluck()
          .get(...where.params) as number;
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map((row) => JSON.parse(row.document) as Tool),
          total,
          nextCursor:
            rows.length > limit && last
              ? encodeCursor(filters, applied, { key: last.key, slug: last.slug })
              : null,
        };
      })();
    });
  }

  /**
   * A relevance page from the search index: rank there, then read only the page's records. Undefined
   * when a ranked record is gone (a write since the index was built): the caller answers in SQL.
   */
  #indexedRelevancePage(
    filters: ToolFilters,
    tokens: readonly string[],
    after: { key: string | number; slug: string } | undefined,
    limit: number,
  ): ToolPage | undefined {
    const ranked = this.#searchIndex().rank(
      filters,
      tokens,
      after && { key: after.key as number, slug: after.slug },
      limit,
    );
    const shown = ranked.ids.slice(0, limit);
    const documents = new Map(
      (
        this.#statement(`SELECT id, document FROM tools WHERE id IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(shown),
        ) as { id: number; document: string }[]
      ).map((row) => [row.id, row.document]),
    );
    if (documents.size !== shown.length) {
      this.#index = undefined;
      return undefined;
    }
    const last = ranked.positions[shown.length - 1];
    return {
      items: shown.map((id) => JSON.parse(documents.get(id)!) as Tool),
      total: ranked.total,
      nextCursor: ranked.ids.length > limit && last ? encodeCursor(filters, 'relevance', last) : null,
    };
  }

  #relevancePage(
    where: SqlFragment,
    tokens: readonly string[],
    after: { key: string | number; slug: string } | undefined,
    limit: number,
  ): PageRow[] {
    const score = relevanceExpressionOf(tokens);
    const beyond = after ? 'WHERE score < ? OR (score = ? AND slug > ?)' : '';
    const sql = `
      WITH ranked AS (
        SELECT id, slug, score FROM (SELECT t.id, t.slug, ${score.sql} AS score FROM tools t WHERE ${where.sql})
        ${beyond}
        ORDER BY score DESC, slug LIMIT ?
      )
      SELECT t.document, r.slug, r.score AS key FROM ranked r JOIN tools t ON t.id = r.id ORDER BY r.score DESC, r.slug`;
    const params = [
      ...score.params,
      ...where.params,
      ...(after ? [after.key, after.key, after.slug] : []),
      limit + 1,
    ];
    return this.#statement(sql).all(...params) as PageRow[];
  }

  #orderedPage(
    where: SqlFragment,
    sort: Exclude<AppliedSort, 'relevance'>,
    after: { key: string | number; slug: string } | undefined,
    limit: number,
  ): PageRow[] {
    const order = ORDER_OF[sort];
    const key = sort === 'name' ? 't.name_key' : 't.created_at';
    const sql = `SELECT t.document, t.slug, ${key} AS key FROM tools t WHERE ${where.sql}${after ? ` AND ${order.after}` : ''} ORDER BY ${order.orderBy} LIMIT ?`;
    const afterParams = after
      ? sort === 'name'
        ? [after.key, after.slug]
        : [after.key, after.key, after.slug]
      : [];
    return this.#statement(sql).all(...where.params, ...afterParams, limit + 1) as PageRow[];
  }

  facets(filters: ToolFilters): Promise<ToolFacets> {
    if (!filters.tag?.length) {
      return asPromise(() => this.#searchIndex().facets(filters, queryTokens(filters.q ?? '')));
    }
    const where = whereOf(filters, queryTokens(filters.q ?? ''));
    const sql = `
      WITH matching AS MATERIALIZED (SELECT t.id, t.pricing_model FROM tools t WHERE ${where.sql})
      SELECT 'categories' AS facet, c.category AS value, count(*) AS count FROM matching m JOIN tool_categories c ON c.tool_id = m.id GROUP BY c.category
      UNION ALL SELECT 'platforms', p.platform, count(*) FROM matching m JOIN tool_platforms p ON p.tool_id = m.id GROUP BY p.platform
      UNION ALL SELECT 'pricing', pricing_model, count(*) FROM matching GROUP BY pricing_model
      UNION ALL SELECT 'total', NULL, count(*) FROM matching`;
    return asPromise(() => {
      const rows = this.#statement(sql).all(...where.params) as {
        facet: keyof ToolFacets;
        value: string | null;
        count: number;
      }[];
      const counts = (facet: keyof ToolFacets) =>
        new Map(rows.filter((row) => row.facet === facet).map((row) => [row.value, row.count]));
      return facetsOfCounts({
        categories: tallyOf(TOOL_CATEGORIES, counts('categories')),
        pricing: tallyOf(PRICING_MODELS, counts('pricing')),
        platforms: tallyOf(TOOL_PLATFORMS, counts('platforms')),
        total: rows.find((row) => row.facet === 'total')?.count ?? 0,
      });
    });
  }

  get(slug: string): Promise<Tool | null> {
    return asPromise(() => {
      const document = this.#statement('SELECT document FROM tools WHERE slug = ?').pluck().get(slug) as
        string | undefined;
      return document === undefined ? null : (JSON.parse(document) as Tool);
    });
  }

  create(input: ToolInput): Promise<Tool> {
    return asPromise(() => {
      const tool = stripDerived(newToolRecord(input, this.#now()));
      if (!this.#db.transaction(() => this.#insert(tool)).immediate())
        throw new DuplicateSlugError(input.slug);
      return tool;
    });
  }

  update(slug: string, patch: ToolPatch): Promise<Tool | null> {
    return asPromise(() =>
      this.#db
        .transaction((): Tool | null => {
          const document = this.#statement('SELECT document FROM tools WHERE slug = ?').pluck().get(slug) as
            string | undefined;
          if (document === undefined) return null;
          this.#index = undefined;
          const next = stripDerived(patchedToolRecord(JSON.parse(document) as Tool, patch, this.#now()));
          const row = toolRowOf(next);
          const { id } = this.#statement(
            `UPDATE tools SET name_key = @name_key, created_at = @created_at, pricing_model = @pricing_model, open_source = @open_source,
               name_words = @name_words, tag_words = @tag_words, tagline_words = @tagline_words, description_words = @description_words,
               name_phrase = @name_phrase, document = @document
             WHERE slug = @slug RETURNING id`,
          ).get(row) as { id: number };
          this.#writeFacetRows(id, next, true);
          return next;
        })
        .immediate(),
    );
  }

  delete(slug: string): Promise<boolean> {
    this.#index = undefined;
    return asPromise(
      () =>
        this.#db.transaction(() => this.#statement('DELETE FROM tools WHERE slug = ?').run(slug)).immediate()
          .changes > 0,
    );
  }

  seed(tools: readonly ToolInput[], version: number): Promise<SeedResult> {
    // One write transaction: replicas starting together seed once, the others see the version.
    return asPromise(() =>
      this.#db
        .transaction((): SeedResult => {
          const current = this.#statement('SELECT version FROM seed_state WHERE id = 1').pluck().get() as
            number | undefined;
          if (current !== undefined && current >= version)
            return { inserted: 0, version: current, applied: false };
          const everSeeded = this.#statement('SELECT 1 FROM seeded_slugs WHERE slug = ?').pluck();
          const remember = this.#statement('INSERT OR IGNORE INTO seeded_slugs (slug) VALUES (?)');
          const now = this.#now();
          let inserted = 0;
          for (const input of tools) {
            if (
              everSeeded.get(input.slug) === undefined &&
              this.#insert(stripDerived(newToolRecord(input, now)))
            )
              inserted++;
            remember.run(input.slug);
          }
          this.#statement(
            'INSERT INTO seed_state (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
          ).run(version);
          return { inserted, version, applied: true };
        })
        .immediate(),
    );
  }

  /**
   * Bulk load for benches and large test directories (the synthetic tools): inserts the tools
   * whose slug is free, in one write transaction, and answers how many it inserted. Creation
   * times step one minute back per tool, so "newest" is an order rather than a tie.
   */
  insertMany(tools: Iterable<ToolInput>): Promise<number> {
    return asPromise(() =>
      this.#db
        .transaction((): number => {
          const start = this.#now().getTime();
          let inserted = 0;
          let index = 0;
          for (const input of tools) {
            if (this.#insert(stripDerived(newToolRecord(input, new Date(start - index * 60_000))))) inserted++;
            index++;
          }
          return inserted;
        })
        .immediate(),
    );
  }

  ping(): Promise<void> {
    return asPromise(() => {
      this.#statement('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    if (this.#db.open) {
      // Lets SQLite refresh its planner statistics for the next start; cheap when nothing changed.
      this.#db.pragma('optimize');
      this.#db.close();
    }
    return Promise.resolve();
  }

  /** Inserts a tool unless its slug exists (false then). Runs inside the caller's transaction. */
  #insert(tool: Tool): boolean {
    this.#index = undefined;
    const row = this.#statement(
      `INSERT INTO tools (slug, name_key, created_at, pricing_model, open_source, name_words, tag_words, tagline_words, description_words, name_phrase, document)
       VALUES (@slug, @name_key, @created_at, @pricing_model, @open_source, @name_words, @tag_words, @tagline_words, @description_words, @name_phrase, @document)
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
    ).get(toolRowOf(tool)) as { id: number } | undefined;
    if (!row) return false;
    this.#writeFacetRows(row.id, tool, false);
    return true;
  }

  #writeFacetRows(id: number, tool: Tool, replace: boolean): void {
    for (const [table, column, values] of [
      ['tool_categories', 'category', tool.categories],
      ['tool_tags', 'tag', tool.tags],
      ['tool_platforms', 'platform', tool.platforms],
    ] as const) {
      if (replace) this.#statement(`DELETE FROM ${table} WHERE tool_id = ?`).run(id);
      const insert = this.#statement(`INSERT OR IGNORE INTO ${table} (${column}, tool_id) VALUES (?, ?)`);
      for (const value of values) insert.run(value, id);
    }
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** The public fields of a record (the derived keys of the document stores are not stored here). */
function stripDerived(record: Tool & { _terms?: unknown; _nameKey?: unknown }): Tool {
  const { _terms: _t, _nameKey: _n, ...tool } = record;
  return tool;
}
