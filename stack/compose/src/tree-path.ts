/**
 * Dotted paths into the model (`services.web.ports`), with `*` matching any key and `[]` used
 * for list items. Keys containing dots are escaped so a label key never splits a path.
 */
const ESCAPED_DOT = '\u0000';

export type TreePath = string;

/** Appends one key to a path. */
export function nextPath(path: TreePath, key: string): TreePath {
  const part = key.split('.').join(ESCAPED_DOT);
  return path === '' ? part : `${path}.${part}`;
}

/** True when `path` has as many parts as `pattern` and each part equals or is matched by `*`. */
export function pathMatches(path: TreePath, pattern: TreePath): boolean {
  const parts = path.split('.');
  const patternParts = pattern.split('.');
  if (parts.length !== patternParts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const want = patternParts[i];
    if (want !== '*' && want !== parts[i]) return false;
  }
  return true;
}

/** The readable form of a path (escaped dots restored). */
export function pathToString(path: TreePath): string {
  return path.split(ESCAPED_DOT).join('.');
}

/** Finds the first pattern of `table` matching `path`. */
export function lookupPattern<T>(table: ReadonlyArray<readonly [TreePath, T]>, path: TreePath): T | undefined {
  for (const [pattern, value] of table) {
    if (pathMatches(path, pattern)) return value;
  }
  return undefined;
}
