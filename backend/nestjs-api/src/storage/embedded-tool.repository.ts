import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type Nedb from '@seald-io/nedb';
import type { Tool, ToolFacets, ToolFilters, ToolInput, ToolPage, ToolPatch, ToolSort } from '@codiesvibe/shared/domain';
import { queryTokens } from '../search/relevance.js';
import { DuplicateSlugError, type SeedResult, type ToolRepository } from './tool.repository.js';
import { newToolRecord, patchedToolRecord, toTool, type ToolRecord } from './tool-record.js';
import {
  afterPositionQuery,
  andQuery,
  appliedSort,
  decodeCursor,
  FACET_PROJECTION,
  facetCounts,
  filterQuery,
  STORE_SORT,
  storeOrderedPage,
  textQueryPage,
} from './tool-query.js';

// NeDB is CommonJS with `module.exports = Datastore`, while its typings declare a default export;
// requiring it gives the class under both the TypeScript and the Node.js view of the module.
type Datastore<T extends object> = Nedb.default<T>;
const Datastore = createRequire(import.meta.url)('@seald-io/nedb') as typeof Nedb.default;

/** What the store remembers about seeding: the version applied and every slug ever seeded. */
interface SeedState {
  _id: 'tools-seed';
  version: number;
  slugs: string[];
}

export interface EmbeddedStoreOptions {
  /** Folder of the data files; created when missing. Undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** Clock for timestamps; tests pass a fake one. */
  now?: () => Date;
}

// NeDB's default string order is locale-aware; MongoDB compares code units. Use the latter.
const compareCodeUnits = (left: string, right: string): number => (left === right ? 0 : left < right ? -1 : 1);

// NeDB scans every document anyway (it has no multikey index), and its regex matching is far
// slower than matchesQuery, which textQueryPage and facetCounts apply to the candidates.
const IN_MEMORY_TEXT_MATCH = { text: false };

/** The compaction interval of the append-only data files. */
const AUTOCOMPACTION_MS = 10 * 60 * 1000;

/**
 * The embedded default store (when MONGODB_URI is unset): NeDB datastores persisted as
 * append-only files under the data folder, with the same query semantics as the MongoDB adapter.
 * One process owns the files; run a single instance on it.
 */
export class EmbeddedToolRepository implements ToolRepository {
  readonly kind = 'embedded' as const;
  readonly #tools: Datastore<ToolRecord>;
  readonly #meta: Datastore<SeedState>;
  readonly #now: () => Date;

  private constructor(tools: Datastore<ToolRecord>, meta: Datastore<SeedState>, now: () => Date) {
    this.#tools = tools;
    this.#meta = meta;
    this.#now = now;
  }

  /** Opens (or creates) the store and its indexes. */
  static async open(options: EmbeddedStoreOptions = {}): Promise<EmbeddedToolRepository> {
    const { dataDir } = options;
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const datastore = <T extends object>(file: string) =>
      new Datastore<T>(dataDir ? { filename: join(dataDir, file), compareStrings: compareCodeUnits } : { inMemoryOnly: true, compareStrings: compareCodeUnits });
    const tools = datastore<ToolRecord>('tools.db');
    const meta = datastore<SeedState>('meta.db');
    await Promise.all([tools.loadDatabaseAsync(), meta.loadDatabaseAsync()]);
    await tools.ensureIndexAsync({ fieldName: 'slug', unique: true });
    await tools.ensureIndexAsync({ fieldName: 'createdAt' });
    await tools.ensureIndexAsync({ fieldName: '_nameKey' });
    if (dataDir) tools.setAutocompactionInterval(AUTOCOMPACTION_MS);
    return new EmbeddedToolRepository(tools, meta, options.now ?? (() => new Date()));
  }

  async list(filters: ToolFilters, sort: ToolSort, cursor: string | undefined, limit: number): Promise<ToolPage> {
    const applied = appliedSort(sort, queryTokens(filters.q ?? ''));
    const query = filterQuery(filters, IN_MEMORY_TEXT_MATCH);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, filters, applied);
    if (queryTokens(filters.q ?? '').length > 0 || applied === 'relevance') {
      const candidates = await this.#tools.findAsync(query);
      return textQueryPage(candidates, filters, applied, after, limit);
    }
    const [fetched, total] = await Promise.all([
      this.#tools
        .findAsync(andQuery(query, after && afterPositionQuery(applied, after)))
        .sort(STORE_SORT[applied])
        .limit(limit + 1),
      this.#tools.countAsync(query),
    ]);
    return storeOrderedPage(fetched, filters, applied, total, limit);
  }

  async facets(filters: ToolFilters): Promise<ToolFacets> {
    const candidates = await this.#tools.findAsync(filterQuery(filters, IN_MEMORY_TEXT_MATCH), { ...FACET_PROJECTION, _id: 0 });
    return facetCounts(candidates, filters);
  }

  async get(slug: string): Promise<Tool | null> {
    const record = await this.#tools.findOneAsync({ slug });
    return record ? toTool(record) : null;
  }

  async create(input: ToolInput): Promise<Tool> {
    try {
      return toTool(await this.#tools.insertAsync(newToolRecord(input, this.#now())));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateSlugError(input.slug);
      throw error;
    }
  }

  async update(slug: string, patch: ToolPatch): Promise<Tool | null> {
    const current = await this.#tools.findOneAsync({ slug });
    if (!current) return null;
    const next = patchedToolRecord(current, patch, this.#now());
    const { affectedDocuments } = await this.#tools.updateAsync({ slug }, next, { returnUpdatedDocs: true });
    return affectedDocuments ? toTool(affectedDocuments) : null;
  }

  async delete(slug: string): Promise<boolean> {
    return (await this.#tools.removeAsync({ slug }, { multi: false })) > 0;
  }

  async seed(tools: readonly ToolInput[], version: number): Promise<SeedResult> {
    const state = await this.#meta.findOneAsync({ _id: 'tools-seed' });
    if (state && state.version >= version) return { inserted: 0, version: state.version, applied: false };
    const everSeeded = new Set(state?.slugs ?? []);
    const existing = new Set((await this.#tools.findAsync({}, { slug: 1, _id: 0 })).map((record: ToolRecord) => record.slug));
    const fresh = tools.filter((tool) => !everSeeded.has(tool.slug) && !existing.has(tool.slug));
    const now = this.#now();
    if (fresh.length > 0) await this.#tools.insertAsync(fresh.map((tool) => newToolRecord(tool, now)));
    const slugs = [...new Set([...everSeeded, ...tools.map((tool) => tool.slug)])];
    await this.#meta.updateAsync({ _id: 'tools-seed' }, { _id: 'tools-seed', version, slugs }, { upsert: true });
    return { inserted: fresh.length, version, applied: true };
  }

  async ping(): Promise<void> {
    // In-process: usable as long as it is open. A count proves the executor is not wedged.
    await this.#tools.countAsync({});
  }

  async close(): Promise<void> {
    this.#tools.stopAutocompaction();
    // Rewrites the append-only files to one line per live document, so the next start loads fast.
    await Promise.all([this.#tools.compactDatafileAsync(), this.#meta.compactDatafileAsync()]);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { errorType?: unknown }).errorType === 'uniqueViolated';
}
