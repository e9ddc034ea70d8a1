import { readNedbDatafile, retireNedbDatafile, type NedbDatafile } from './nedb-datafile.js';
import type { SqliteDatabase } from './sqlite-database.js';

/** What an import did, for the start log. */
export interface NedbImport<Summary> {
  /** What `importData` returned (counts, skipped records). */
  summary: Summary;
  /** The files that were read. */
  files: string[];
  /** Lines of those files that were not JSON (a torn last line after a crash, usually). */
  unreadableLines: number;
  /** The new names of the imported files: kept, never read again. */
  keptAs: string[];
}

export interface NedbImportOptions<Summary> {
  /** Names this import in `store_meta`, e.g. `nedb_import`. */
  marker: string;
  /** The NeDB data files (`<file>~` is read when only it exists, as NeDB does). */
  files: readonly string[];
  /** Writes the documents into the store; runs inside the import's transaction. */
  importData: (files: readonly (NedbDatafile | undefined)[]) => Summary;
  now?: Date;
}

/**
 * Moves the data of NeDB files into a SQLite store once: when the store has no record of the
 * import and any of the files exists, `importData` runs in one IMMEDIATE transaction that also
 * records the import in the `store_meta (key, value)` table the store's schema must have; then
 * the files are renamed `<file>.imported-<date>`. Replicas opening together import once (the
 * record is re-read under the write lock), and a process killed between the commit and the
 * rename only leaves files that the next open renames. Returns undefined when nothing was imported.
 */
export function importNedbOnce<Summary>(
  db: SqliteDatabase,
  options: NedbImportOptions<Summary>,
): NedbImport<Summary> | undefined {
  const now = options.now ?? new Date();
  const imported = () =>
    db.prepare('SELECT 1 FROM store_meta WHERE key = ?').get(options.marker) !== undefined;
  if (imported()) {
    retire(options.files, now);
    return undefined;
  }
  const read = options.files.map((file) => readNedbDatafile(file));
  const present = read.filter((file): file is NedbDatafile => file !== undefined);
  if (present.length === 0) return undefined;

  let summary: { value: Summary } | undefined;
  db.transaction(() => {
    if (imported()) return; // another replica imported while this one read the files
    summary = { value: options.importData(read) };
    db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run(
      options.marker,
      JSON.stringify({
        at: now.toISOString(),
        files: present.map((file) => file.path),
        summary: summary.value,
      }),
    );
  }).immediate();
  const keptAs = retire(options.files, now);
  if (!summary) return undefined;
  return {
    summary: summary.value,
    files: present.map((file) => file.path),
    unreadableLines: present.reduce((sum, file) => sum + file.unreadableLines, 0),
    keptAs,
  };
}

function retire(files: readonly string[], now: Date): string[] {
  return files.flatMap((file) => [file, `${file}~`]).flatMap((path) => retireNedbDatafile(path, now) ?? []);
}
