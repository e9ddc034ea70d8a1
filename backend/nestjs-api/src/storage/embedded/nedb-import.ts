import { join } from 'node:path';
import { toolSchema, type Tool } from '@codiesvibe/shared/domain';
import {
  importNedbOnce,
  type NedbDatafile,
  type NedbImport,
  type SqliteDatabase,
} from '@codiesvibe/shared/sqlite';

/**
 * Moves the data of the NeDB store (the release before SQLite: `tools.db` and `meta.db` in the
 * same folder) into the SQLite store, once. Tools come as they were, edits and tools created
 * through the API included; so does the seed state (version and every slug ever seeded), so
 * seeding neither brings back deleted seed tools nor duplicates anything. A tool already in
 * SQLite wins over the NeDB one with the same slug.
 */

export interface ToolImportSummary {
  tools: number;
  /** Documents that were not valid tools (e.g. edited by hand); they stay in the kept files. */
  skipped: string[];
}

interface SeedMeta {
  version: number;
  slugs: string[];
}

function seedMetaOf(file: NedbDatafile | undefined): SeedMeta | undefined {
  const state = file?.documents.find((document) => document._id === 'tools-seed');
  if (!state || typeof state.version !== 'number' || !Array.isArray(state.slugs)) return undefined;
  return {
    version: state.version,
    slugs: state.slugs.filter((slug): slug is string => typeof slug === 'string'),
  };
}

/** Imports `tools.db` and `meta.db` from `dataDir` unless done before; undefined when nothing was imported. */
export function importNedbTools(
  db: SqliteDatabase,
  dataDir: string,
  insertTool: (tool: Tool) => boolean,
): NedbImport<ToolImportSummary> | undefined {
  return importNedbOnce(db, {
    marker: 'nedb_import',
    files: [join(dataDir, 'tools.db'), join(dataDir, 'meta.db')],
    importData: ([tools, meta]) => {
      const summary: ToolImportSummary = { tools: 0, skipped: [] };
      for (const document of tools?.documents ?? []) {
        const parsed = toolSchema.safeParse(document);
        if (!parsed.success)
          summary.skipped.push(typeof document.slug === 'string' ? document.slug : String(document._id));
        else if (insertTool(parsed.data)) summary.tools++;
      }
      const seed = seedMetaOf(meta);
      if (seed) {
        db.prepare(
          'INSERT INTO seed_state (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = max(version, excluded.version)',
        ).run(seed.version);
        const remember = db.prepare('INSERT OR IGNORE INTO seeded_slugs (slug) VALUES (?)');
        for (const slug of seed.slugs) remember.run(slug);
      }
      return summary;
    },
  });
}
