import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Nedb from '@seald-io/nedb';
import { embeddingId, type QueryLogEntry, type SearchStore, type StoredEmbedding } from './search.store.js';

// NeDB is CommonJS with `module.exports = Datastore`, while its typings declare a default export;
// requiring it gives the class under both the TypeScript and the Node.js view of the module.
const Datastore = createRequire(import.meta.url)('@seald-io/nedb') as typeof Nedb.default;
type Datastore<T extends object> = Nedb.default<T>;

interface EmbeddingRecord extends StoredEmbedding {
  _id: string;
}

/** The append-only data files are rewritten this often. */
const AUTOCOMPACTION_MS = 10 * 60 * 1000;

/**
 * The embedded default (MONGODB_URI unset): NeDB datastores persisted under the data folder, the
 * same store kind nestjs-api uses. One process owns the files; run a single instance on it.
 */
export class EmbeddedSearchStore implements SearchStore {
  readonly kind = 'embedded' as const;

  private constructor(
    private readonly embeddings: Datastore<EmbeddingRecord>,
    private readonly queries: Datastore<QueryLogEntry>,
  ) {}

  /** Opens (or creates) the store. Without `dataDir` everything stays in memory (tests). */
  static async open(dataDir?: string): Promise<EmbeddedSearchStore> {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const datastore = <T extends object>(file: string) =>
      new Datastore<T>(dataDir ? { filename: join(dataDir, file) } : { inMemoryOnly: true });
    const embeddings = datastore<EmbeddingRecord>('embeddings.db');
    const queries = datastore<QueryLogEntry>('query-log.db');
    await Promise.all([embeddings.loadDatabaseAsync(), queries.loadDatabaseAsync()]);
    await queries.ensureIndexAsync({ fieldName: 'at' });
    if (dataDir) {
      embeddings.setAutocompactionInterval(AUTOCOMPACTION_MS);
      queries.setAutocompactionInterval(AUTOCOMPACTION_MS);
    }
    return new EmbeddedSearchStore(embeddings, queries);
  }

  async findEmbeddings(model: string, slugs: readonly string[]): Promise<StoredEmbedding[]> {
    const records = await this.embeddings.findAsync({
      _id: { $in: slugs.map((slug) => embeddingId(model, slug)) },
    });
    return records.map(({ slug, model: recordModel, contentHash, vector }) => ({
      slug,
      model: recordModel,
      contentHash,
      vector,
    }));
  }

  async saveEmbeddings(entries: readonly StoredEmbedding[]): Promise<void> {
    for (const entry of entries) {
      const record: EmbeddingRecord = { _id: embeddingId(entry.model, entry.slug), ...entry };
      await this.embeddings.updateAsync({ _id: record._id }, record, { upsert: true });
    }
  }

  async logQuery(entry: QueryLogEntry): Promise<void> {
    await this.queries.insertAsync({ ...entry });
  }

  async recentQueries(limit: number): Promise<QueryLogEntry[]> {
    return this.queries.findAsync({}, { _id: 0 }).sort({ at: -1 }).limit(limit);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.embeddings.stopAutocompaction();
    this.queries.stopAutocompaction();
    await Promise.all([this.embeddings.compactDatafileAsync(), this.queries.compactDatafileAsync()]);
  }
}
