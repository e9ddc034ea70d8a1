import { dirname, isAbsolute, resolve } from 'node:path';
import { asRecord } from './compose-model.js';
import type { SourcePosition, SourceSet } from './source-set.js';

/** Where a compose file names a file that does not exist, and as what. */
export interface FileReference extends SourcePosition {
  /** `include`, `extends.file` or `env_file`. */
  kind: string;
  /** The path as written. */
  written: string;
}

/**
 * Finds the line that names `missing` (an absolute path) in one of `files`: an include entry, an
 * `extends.file` or an `env_file` of a service. Paths are taken as written (an include path with
 * a variable in it is not matched).
 */
export function findReference(sources: SourceSet, files: readonly string[], missing: string): FileReference | undefined {
  for (const file of files) {
    const value = sources.get(file).value;
    if (!value) continue;
    const base = dirname(file);
    const matches = (written: string) => (isAbsolute(written) ? written : resolve(base, written)) === missing;

    for (const written of pathsOf(value.include, 'path')) {
      if (matches(written)) return { kind: 'include', written, ...lineNaming(sources, file, written, ['include']) };
    }
    for (const [service, definition] of Object.entries(asRecord(value.services) ?? {})) {
      const record = asRecord(definition);
      const extendsFile = asRecord(record?.extends)?.file;
      if (typeof extendsFile === 'string' && matches(extendsFile)) {
        return { kind: 'extends.file', written: extendsFile, ...lineNaming(sources, file, extendsFile, ['services', service, 'extends', 'file']) };
      }
      for (const written of pathsOf(record?.env_file, 'path')) {
        if (matches(written)) return { kind: 'env_file', written, ...lineNaming(sources, file, written, ['services', service, 'env_file']) };
      }
    }
  }
  return undefined;
}

/** The strings of a path, a list of paths, or a list of `{ <key>: path }` (include, env_file). */
function pathsOf(value: unknown, key: string): string[] {
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return entries.flatMap((entry: unknown) => {
    if (typeof entry === 'string') return [entry];
    const inner = asRecord(entry)?.[key];
    if (typeof inner === 'string') return [inner];
    return Array.isArray(inner) ? inner.filter((item): item is string => typeof item === 'string') : [];
  });
}

/** The first line at or after the key `keys` that contains `written` (list items have no key of their own). */
function lineNaming(sources: SourceSet, file: string, written: string, keys: readonly string[]): SourcePosition {
  const key = sources.deepestKey(file, keys) ?? { file, line: 1, column: 1 };
  const lines = sources.get(file).lines;
  for (let index = Math.max(key.line - 1, 0); index < lines.length; index++) {
    const column = (lines[index] ?? '').indexOf(written);
    if (column >= 0) return { file, line: index + 1, column: column + 1 };
  }
  return { file, line: key.line, column: key.column };
}
