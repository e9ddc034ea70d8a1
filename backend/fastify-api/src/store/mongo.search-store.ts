import { MongoClient, type Collection } from 'mongodb';
import { embeddingId, type QueryLogEntry, type SearchStore, type StoredEmbedding } from './search.store.js';

interface EmbeddingDocument extends StoredEmbedding {
  _id: string;
}

/** Query log entries expire after this long (a TTL index), so the log cannot grow without bound. */
const QUERY_LOG_TTL_SECONDS = 30 * 24 * 60 * 60;

/** The MongoDB adapter (MONGODB_URI set): collections `embeddings` and `query_log`. */
export class MongoSearchStore implements SearchStore {
  readonly kind = 'mongodb' as const;

  private constructor(
    private readonly client: MongoClient,
    private readonly embeddings: Collection<EmbeddingDocument>,
    private readonly queries: Collection<QueryLogEntry>,
  ) {}

  /** Connects and creates the indexes. The database is the one named in the URI. */
  static async connect(
    uri: string,
    options: { serverSelectionTimeoutMs?: number } = {},
  ): Promise<MongoSearchStore> {
    const client = new MongoClient(uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
      appName: 'codiesvibe-fastify-api',
    });
    await client.connect();
    const db = client.db();
    const embeddings = db.collection<EmbeddingDocument>('embeddings');
    const queries = db.collection<QueryLogEntry>('query_log');
    await queries.createIndex({ at: 1 }, { expireAfterSeconds: QUERY_LOG_TTL_SECONDS });
    return new MongoSearchStore(client, embeddings, queries);
  }

  async findEmbeddings(model: string, slugs: readonly string[]): Promise<StoredEmbedding[]> {
    const documents = await this.embeddings
      .find({ _id: { $in: slugs.map((slug) => embeddingId(model, slug)) } })
      .toArray();
    return documents.map(({ slug, model: documentModel, contentHash, vector }) => ({
      slug,
      model: documentModel,
      contentHash,
      vector,
    }));
  }

  async saveEmbeddings(entries: readonly StoredEmbedding[]): Promise<void> {
    if (entries.length === 0) return;
    await this.embeddings.bulkWrite(
      entries.map((entry) => {
        const _id = embeddingId(entry.model, entry.slug);
        return { replaceOne: { filter: { _id }, replacement: { _id, ...entry }, upsert: true } };
      }),
      { ordered: false },
    );
  }

  async logQuery(entry: QueryLogEntry): Promise<void> {
    await this.queries.insertOne({ ...entry });
  }

  async recentQueries(limit: number): Promise<QueryLogEntry[]> {
    const documents = await this.queries
      .find({}, { projection: { _id: 0 } })
      .sort({ at: -1 })
      .limit(limit)
      .toArray();
    return documents;
  }

  async ping(): Promise<void> {
    await this.client.db().command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
