import type { SqliteDatabase } from './sqlite-database.js';
import { SqliteStoreError } from './sqlite-store.error.js';

/** One step of a schema: `up` takes the schema from `version - 1` to `version`. */
export interface Migration {
  /** 1 for the first migration, then 2, 3, ...: the `PRAGMA user_version` once it has run. */
  version: number;
  /** What it does, for the log and for readers of the list. */
  description: string;
  up(db: SqliteDatabase): void;
}

/**
 * Brings the schema to the last migration's version, forward only. Each migration runs in its own
 * IMMEDIATE transaction together with the `user_version` bump, so a crash leaves the schema at
 * the last completed version, and replicas opening the file together apply each migration once
 * (the version is re-read under the write lock). Returns the versions applied by this call.
 *
 * @throws SqliteStoreError when the file's version is newer than the last migration (a newer
 *   release wrote it) or the list is not 1, 2, 3, ...
 */
export function applyMigrations(
  db: SqliteDatabase,
  migrations: readonly Migration[],
  file: string,
): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new SqliteStoreError(
        `migration "${migration.description}" has version ${migration.version}; expected ${index + 1}`,
      );
  });
  const latest = migrations.length;
  const userVersion = () => Number(db.pragma('user_version', { simple: true }));
  const found = userVersion();
  if (found > latest) {
    throw new SqliteStoreError(
      `${file} has schema version ${found}, newer than this release knows (${latest}); run the release that wrote it, or move the file away to start empty`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations.slice(found)) {
    db.transaction(() => {
      if (userVersion() >= migration.version) return; // another replica applied it meanwhile
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
