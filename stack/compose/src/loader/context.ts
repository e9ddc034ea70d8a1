import { ComposeError } from '../errors.js';
import type { ParsedYamlDocument, YamlPosition } from '../yaml/parse-yaml.js';
import type { TreePath } from '../tree-path.js';

/** Project variables used for interpolation (shell environment, then env files). */
export type Environment = Map<string, string>;

/** Switches of one load, mirroring Compose's loader options. */
export interface LoadSwitches {
  skipInterpolation: boolean;
  skipValidation: boolean;
  skipExtends: boolean;
  skipInclude: boolean;
  skipDefaultValues: boolean;
  resolvePaths: boolean;
}

/** Shared state of a whole project load: warnings, and where each file put each key. */
export interface LoadSession {
  warn: (message: string) => void;
  /** Files parsed so far with the key positions of each, for locating errors. */
  sources: Array<{ file: string; positions: Map<TreePath, YamlPosition> }>;
  /** Variables already warned about (Compose warns once per variable). */
  warnedVariables: Set<string>;
  /** Reads a compose file's text (from disk by default). */
  readText: (file: string) => string;
  /** Files already parsed by the project-name pass: the load takes each of them over once. */
  parsedAhead?: Map<string, ParsedYamlDocument[]>;
  /** Services made by `extends`, so that a key their base brought is found at the base's line. */
  extended: ExtendedService[];
  /** HOME of the shell environment, which a leading `~` in a host path stands for. */
  home?: string;
  /** The directory the command runs in: what a path Compose leaves relative is found from (process.cwd() unless told). */
  cwd?: string;
}

/** `services.api` of `file` extends `services.base` of `baseFile`. */
export interface ExtendedService {
  file: string;
  service: TreePath;
  baseFile: string;
  base: TreePath;
}

/**
 * Adds the file and line to an error that only knows its model path: the deepest key of the path
 * that some file defines. A service made by `extends` is validated once merged, so a key it got
 * from its base (in another file, or under another name) is looked up there too.
 */
export function locate(error: unknown, session: LoadSession, preferredFile?: string): unknown {
  if (!(error instanceof ComposeError) || error.line !== undefined) return error;
  const preferred = error.file ?? preferredFile;
  const candidates = [...session.sources].reverse();
  if (preferred) candidates.sort((a, b) => Number(b.file === preferred) - Number(a.file === preferred));
  const path = error.modelPath;
  if (path) {
    const parts = path.split('.');
    for (let length = parts.length; length > 0; length--) {
      const prefix = parts.slice(0, length);
      if (prefix.some((part) => part.startsWith('['))) continue;
      const key = prefix.join('.');
      for (const source of candidates) {
        const position = source.positions.get(key);
        if (position) return at(error, source.file, position);
      }
      for (const [file, baseKey] of keysInBases(key, undefined, session)) {
        const position = positionOf(session, file, baseKey);
        if (position) return at(error, file, position);
      }
    }
  }
  if (preferred) error.file = preferred;
  return error;
}

/** Where `file` defines `path`, if it does. */
export function positionOf(session: LoadSession, file: string, path: TreePath): YamlPosition | undefined {
  for (let index = session.sources.length - 1; index >= 0; index--) {
    const source = session.sources[index];
    const position = source?.file === file ? source.positions.get(path) : undefined;
    if (position) return position;
  }
  return undefined;
}

function at(error: ComposeError, file: string, position: YamlPosition): ComposeError {
  error.file = file;
  error.line = position.line;
  error.column = position.column;
  return error;
}

/** `key` of an extended service as each base along its chain names it, nearest base first. */
function* keysInBases(key: TreePath, file: string | undefined, session: LoadSession, depth = 0): Generator<[string, TreePath]> {
  // A chain is never longer than the services extended (cycles are refused before this runs).
  if (depth > session.extended.length) return;
  for (const entry of session.extended) {
    if (file !== undefined && entry.file !== file) continue;
    if (key !== entry.service && !key.startsWith(`${entry.service}.`)) continue;
    const baseKey = `${entry.base}${key.slice(entry.service.length)}`;
    yield [entry.baseFile, baseKey];
    yield* keysInBases(baseKey, entry.baseFile, session, depth + 1);
  }
}
