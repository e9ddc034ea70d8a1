import type { AiSearchMode, SearchIntent } from '@codiesvibe/shared/domain';

/** A tool's embedding under one model, valid while the tool's content hash is unchanged. */
export interface StoredEmbedding {
  slug: string;
  model: string;
  contentHash: string;
  vector: number[];
}

/** One answered AI search, for quality and latency analysis. */
export interface QueryLogEntry {
  query: string;
  intent: SearchIntent;
  mode: AiSearchMode;
  tookMs: number;
  resultCount: number;
  topSlugs: string[];
  instanceId: string;
  at: Date;
}

/**
 * The data fastify-api owns: tool embeddings and the query log. MongoDB in production, an
 * embedded store under DATA_DIR when MONGODB_URI is unset.
 */
export interface SearchStore {
  readonly kind: 'mongodb' | 'embedded';
  /** The stored embeddings of these slugs under `model` (any content hash; the caller compares). */
  findEmbeddings(model: string, slugs: readonly string[]): Promise<StoredEmbedding[]>;
  /** Inserts or replaces by (model, slug). */
  saveEmbeddings(entries: readonly StoredEmbedding[]): Promise<void>;
  logQuery(entry: QueryLogEntry): Promise<void>;
  /** Newest first. */
  recentQueries(limit: number): Promise<QueryLogEntry[]>;
  /** Rejects when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The key of an embedding record: one per tool and model. */
export function embeddingId(model: string, slug: string): string {
  return `${model}\u0000${slug}`;
}
