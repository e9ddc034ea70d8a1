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
}

/** Adds the file and line to an error that only knows its model path. */
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
        if (position) {
          error.file = source.file;
          error.line = position.line;
          error.column = position.column;
          return error;
        }
      }
    }
  }
  if (preferred) error.file = preferred;
  return error;
}
