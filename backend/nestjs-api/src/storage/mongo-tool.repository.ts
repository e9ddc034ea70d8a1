import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, MongoServerError, type Collection, type Db, type Filter, type WriteConcernSettings } from 'mongodb';
import type { Tool, ToolFacets, ToolFilters, ToolInput, ToolPage, ToolPatch, ToolSort } from '@codiesvibe/shared/domain';
import { queryTokens } from '../search/relevance.js';
import type { Vocabulary } from '../search/spelling.js';
import { MongoSubmissionRepository } from '../submissions/mongo-submission.repository.js';
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

interface SeedState {
  _id: 'tools-seed';
  version: number;
  slugs: string[];
}

export interface MongoStoreOptions {
  uri: string;
  /** Database name; the one in the URI (or `codiesvibe`) unless given. */
  database?: string;
  /** `majority` in production, so an acknowledged write survives a primary failover. */
  writeConcern?: WriteConcernSettings;
  /** Connection attempts at start before giving up (backoff doubles from 250 ms, capped at 5 s). */
  connectAttempts?: number;
  /** How long one attempt waits for a usable server; 5000 ms unless told. */
  serverSelectionTimeoutMs?: number;
  now?: () => Date;
  /** Drop the database on close: for test databases only. */
  dropOnClose?: boolean;
  /** Called before each retry, so the caller can log it. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

const DUPLICATE_KEY = 11000;
const DOCUMENT_PROJECTION = { _id: 0 } as const;

/** Connects, retrying with exponential backoff: MongoDB may still be starting when the API starts. */
async function connectWithRetry(options: MongoStoreOptions): Promise<MongoClient> {
  const attempts = options.connectAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const client = new MongoClient(options.uri, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000, appName: 'codiesvibe-nestjs-api' });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return client;
    } catch (error) {
      await client.close().catch(() => undefined);
      if (attempt >= attempts) throw error;
      const delayMs = Math.min(250 * 2 ** (attempt - 1), 5000);
      options.onRetry?.(attempt, delayMs, error);
      await sleep(delayMs);
    }
  }
}

/**
 * The MongoDB adapter (official driver). Pushes filters, ordering and the cursor condition down
 * to indexed queries; text queries narrow candidates through the multikey `_terms` index and are
 * ranked by the shared scoring module, exactly like the embedded store.
 */
/** How long the vocabulary counted in MongoDB is reused. */
const VOCABULARY_TTL_MS = 60_000;

export class MongoToolRepository implements ToolRepository {
  readonly kind = 'mongodb' as const;
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #tools: Collection<ToolRecord>;
  readonly #meta: Collection<SeedState>;
  readonly #now: () => Date;
  readonly #dropOnClose: boolean;
  #vocabulary: { at: number; value: Vocabulary } | undefined;

  private constructor(client: MongoClient, db: Db, options: MongoStoreOptions) {
    this.#client = client;
    this.#db = db;
    this.#tools = db.collection<ToolRecord>('tools');
    this.#meta = db.collection<SeedState>('meta');
    this.#now = options.now ?? (() => new Date());
    this.#dropOnClose = options.dropOnClose ?? false;
  }

  /** Connects (with retry) and makes sure the indexes exist. */
  static async connect(options: MongoStoreOptions): Promise<MongoToolRepository> {
    const client = await connectWithRetry(options);
    const db = client.db(options.database, options.writeConcern ? { writeConcern: options.writeConcern } : undefined);
    const repository = new MongoToolRepository(client, db, options);
    try {
      await repository.#ensureIndexes();
    } catch (error) {
      await client.close();
      throw error;
    }
    return repository;
  }

  async #ensureIndexes(): Promise<void> {
    await this.#tools.createIndexes([
      { key: { slug: 1 }, name: 'slug_unique', unique: true },
      { key: { categories: 1 }, name: 'categories' },
      { key: { tags: 1 }, name: 'tags' },
      { key: { 'pricing.model': 1 }, name: 'pricing_model' },
      { key: { platforms: 1 }, name: 'platforms' },
      { key: { openSource: 1 }, name: 'open_source' },
      { key: { _nameKey: 1, slug: 1 }, name: 'sort_name' },
      { key: { createdAt: -1, slug: 1 }, name: 'sort_newest' },
      { key: { _terms: 1 }, name: 'search_terms' },
      // For operators' ad-hoc queries in mongosh; the API ranks with the shared scorer instead,
      // because $text stemming would rank differently from the embedded store.
      {
        key: { name: 'text', tagline: 'text', description: 'text', tags: 'text' },
        name: 'full_text',
        weights: { name: 10, tags: 5, tagline: 3, description: 1 },
      },
    ]);
  }

  async list(filters: ToolFilters, sort: ToolSort, cursor: string | undefined, limit: number): Promise<ToolPage> {
    const tokens = queryTokens(filters.q ?? '');
    const applied = appliedSort(sort, tokens);
    const query = filterQuery(filters) as Filter<ToolRecord>;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, filters, applied);
    if (tokens.length > 0 || applied === 'relevance') {
      const candidates = await this.#tools.find(query, { projection: DOCUMENT_PROJECTION }).toArray();
      return textQueryPage(candidates, filters, applied, after, limit);
    }
    const pageQuery = andQuery(query, after && afterPositionQuery(applied, after)) as Filter<ToolRecord>;
    const [fetched, total] = await Promise.all([
      this.#tools
        .find(pageQuery, { projection: DOCUMENT_PROJECTION })
        .sort(STORE_SORT[applied])
        .limit(limit + 1)
        .toArray(),
      this.#tools.countDocuments(query),
    ]);
    return storeOrderedPage(fetched, filters, applied, total, limit);
  }

  /**
   * Counted over every record's `_terms` in the database, then kept for a minute: it only serves
   * queries that matched nothing, and other replicas' writes cannot be seen here without asking.
   */
  async vocabulary(): Promise<Vocabulary> {
    const now = Date.now();
    if (this.#vocabulary && now - this.#vocabulary.at < VOCABULARY_TTL_MS) return this.#vocabulary.value;
    const rows = await this.#tools
      .aggregate<{ _id: string; count: number }>([{ $unwind: '$_terms' }, { $group: { _id: '$_terms', count: { $sum: 1 } } }])
      .toArray();
    // Sorted here rather than by MongoDB, whose byte order differs from JavaScript's for some characters.
    rows.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const value: Vocabulary = { terms: rows.map((row) => row._id), counts: rows.map((row) => row.count) };
    this.#vocabulary = { at: now, value };
    return value;
  }

  async facets(filters: ToolFilters): Promise<ToolFacets> {
    const candidates = await this.#tools
      .find(filterQuery(filters) as Filter<ToolRecord>, { projection: { ...FACET_PROJECTION, _id: 0 } })
      .toArray();
    return facetCounts(candidates, filters);
  }

  async get(slug: string): Promise<Tool | null> {
    const record = await this.#tools.findOne({ slug }, { projection: DOCUMENT_PROJECTION });
    return record ? toTool(record) : null;
  }

  async create(input: ToolInput): Promise<Tool> {
    const record = newToolRecord(input, this.#now());
    this.#vocabulary = undefined;
    try {
      // insertOne adds _id to the object it is given: insert a copy.
      await this.#tools.insertOne({ ...record });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) throw new DuplicateSlugError(input.slug);
      throw error;
    }
    return toTool(record);
  }

  async update(slug: string, patch: ToolPatch): Promise<Tool | null> {
    const current = await this.#tools.findOne({ slug }, { projection: DOCUMENT_PROJECTION });
    if (!current) return null;
    const next = patchedToolRecord(current, patch, this.#now());
    this.#vocabulary = undefined;
    const updated = await this.#tools.findOneAndReplace({ slug }, next, { returnDocument: 'after', projection: DOCUMENT_PROJECTION });
    return updated ? toTool(updated) : null;
  }

  async delete(slug: string): Promise<boolean> {
    this.#vocabulary = undefined;
    return (await this.#tools.deleteOne({ slug })).deletedCount > 0;
  }

  async seed(tools: readonly ToolInput[], version: number): Promise<SeedResult> {
    const state = await this.#meta.findOne({ _id: 'tools-seed' });
    if (state && state.version >= version) return { inserted: 0, version: state.version, applied: false };
    const everSeeded = new Set(state?.slugs ?? []);
    const now = this.#now();
    this.#vocabulary = undefined;
    let inserted = 0;
    for (const tool of tools.filter((candidate) => !everSeeded.has(candidate.slug))) {
      // Insert only when absent: never overwrite a record, and replicas seeding at once do not collide.
      const result = await this.#tools.updateOne({ slug: tool.slug }, { $setOnInsert: newToolRecord(tool, now) }, { upsert: true });
      inserted += result.upsertedCount;
    }
    const slugs = [...new Set([...everSeeded, ...tools.map((tool) => tool.slug)])];
    await this.#meta.replaceOne({ _id: 'tools-seed' }, { version, slugs }, { upsert: true });
    return { inserted, version, applied: true };
  }

  changedElsewhere(): boolean {
    return false;
  }

  submissions(): MongoSubmissionRepository {
    return new MongoSubmissionRepository(this.#db, this.#now);
  }

  async ping(): Promise<void> {
    await this.#db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    if (this.#dropOnClose) await this.#db.dropDatabase();
    await this.#client.close();
  }
}
