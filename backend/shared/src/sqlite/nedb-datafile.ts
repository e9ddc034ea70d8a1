import { existsSync, readFileSync, renameSync } from 'node:fs';

/**
 * Reading the data files of NeDB, the embedded store before SQLite, so its data moves forward.
 *
 * A NeDB file is line-delimited JSON, appended to on every write: a document line replaces any
 * earlier line with the same `_id`, `{"$$deleted":true,"_id":...}` removes it, `$$indexCreated`
 * and `$$indexRemoved` lines describe indexes, and dates are `{"$$date": <ms>}`. A crash during
 * NeDB's compaction can leave only `<file>~`, which NeDB itself would have used.
 */

/** The live documents of a NeDB data file, in the order of their last write. */
export interface NedbDatafile {
  /** The file that was read (`<file>` or `<file>~`). */
  path: string;
  documents: Record<string, unknown>[];
  /** Lines that were not JSON (a torn last line after a crash, usually); they are left out. */
  unreadableLines: number;
}

/** The file NeDB would load for `file`: the file itself, else the leftover of an interrupted compaction. */
function nedbFileToRead(file: string): string | undefined {
  if (existsSync(file)) return file;
  return existsSync(`${file}~`) ? `${file}~` : undefined;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const date = (value as { $$date?: unknown }).$$date;
    if (typeof date === 'number' && Object.keys(value).length === 1) return new Date(date);
  }
  return value;
}

/**
 * The live documents of the NeDB data file `file`, or undefined when there is none. Replays the
 * file as NeDB does (last line per `_id` wins, tombstones delete, index lines are skipped).
 */
export function readNedbDatafile(file: string): NedbDatafile | undefined {
  const path = nedbFileToRead(file);
  if (path === undefined) return undefined;
  const byId = new Map<string, Record<string, unknown>>();
  let unreadableLines = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let document: unknown;
    try {
      document = JSON.parse(line, reviveDates);
    } catch {
      unreadableLines++;
      continue;
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      unreadableLines++;
      continue;
    }
    const record = document as Record<string, unknown>;
    const id = record._id;
    if (typeof id !== 'string' && typeof id !== 'number') continue; // index definitions
    const key = String(id);
    byId.delete(key); // re-inserted below, so the order is that of the last write
    if (record.$$deleted !== true) byId.set(key, record);
  }
  return { path, documents: [...byId.values()], unreadableLines };
}

/**
 * Renames a NeDB file that has been imported to `<file>.imported-<date>`, so it is kept but never
 * read again. Returns the new name, or undefined when there was nothing to rename (a replica that
 * opened the store at the same moment renamed it first).
 */
export function retireNedbDatafile(path: string, now: Date = new Date()): string | undefined {
  const target = `${path}.imported-${now.toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(path, target);
    return target;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
