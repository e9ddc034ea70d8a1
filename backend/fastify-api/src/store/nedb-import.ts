import { join } from 'node:path';
import { importNedbOnce, type NedbImport } from '@codiesvibe/shared/sqlite';
import type { QueryLogEntry, StoredEmbedding } from './search.store.js';

/**
 * Moves the NeDB files of the release before SQLite (`embeddings.db`, `query-log.db` in the same
 * folder) into the SQLite store once. Records of an unexpected shape are counted and left in the
 * kept files; embeddings are only a cache and would be recomputed anyway.
 */
export interface SearchImportSummary {
  embeddings: number;
  queries: number;
  skipped: number;
}

function asEmbedding(document: Record<string, unknown>): StoredEmbedding | undefined {
  const { slug, model, contentHash, vector } = document;
  if (typeof slug !== 'string' || typeof model !== 'string' || typeof contentHash !== 'string')
    return undefined;
  if (!Array.isArray(vector) || !vector.every((value) => typeof value === 'number')) return undefined;
  return { slug, model, contentHash, vector };
}

function asQueryLogEntry(document: Record<string, unknown>): QueryLogEntry | undefined {
  const { _id: _ignored, ...entry } = document;
  if (typeof entry.query !== 'string' || !(entry.at instanceof Date) || Number.isNaN(entry.at.getTime()))
    return undefined;
  return entry as unknown as QueryLogEntry;
}

/** Imports the NeDB files in `dataDir` unless done before; undefined when nothing was imported. */
export function importNedbSearchData(
  db: Parameters<typeof importNedbOnce>[0],
  dataDir: string,
  write: { embedding: (entry: StoredEmbedding) => void; query: (entry: QueryLogEntry) => void },
): NedbImport<SearchImportSummary> | undefined {
  return importNedbOnce(db, {
    marker: 'nedb_import',
    files: [join(dataDir, 'embeddings.db'), join(dataDir, 'query-log.db')],
    importData: ([embeddings, queries]) => {
      const summary: SearchImportSummary = { embeddings: 0, queries: 0, skipped: 0 };
      for (const document of embeddings?.documents ?? []) {
        const entry = asEmbedding(document);
        if (!entry) summary.skipped++;
        else {
          write.embedding(entry);
          summary.embeddings++;
        }
      }
      for (const document of queries?.documents ?? []) {
        const entry = asQueryLogEntry(document);
        if (!entry) summary.skipped++;
        else {
          write.query(entry);
          summary.queries++;
        }
      }
      return summary;
    },
  });
}
