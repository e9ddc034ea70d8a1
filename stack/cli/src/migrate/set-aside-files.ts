import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_OVERRIDE_FILE_NAMES } from '@codiesvibe/compose';

/** A migrated file that would stand in the new tree's way, and the name it gets. */
export interface SetAsideFile {
  from: string;
  to: string;
}

/**
 * Migrated files in the output folder that plain `docker compose` would read instead of, or on
 * top of, the new tree: a monolith named `compose.yaml` (the name the entry file needs) and the
 * override files Compose adds to it (`compose.override.yml`, ...). The tree holds their settings,
 * so `--write` renames them `<name>.orig` (in the same all-or-nothing step as the files it
 * writes, see files/write-transaction.ts). An override file that is not migrated stays, and is
 * loaded with the tree, as Compose would.
 */
export interface FilesInTheWay {
  setAside: SetAsideFile[];
  /** An override file that is not migrated, which Compose would still load on top of the new tree. */
  foreignOverride?: string;
}

export function findFilesInTheWay(outDir: string, inputs: ReadonlySet<string>): FilesInTheWay {
  const entry = join(outDir, 'compose.yaml');
  const overrides = DEFAULT_OVERRIDE_FILE_NAMES.map((name) => join(outDir, name)).filter((path) => existsSync(path));
  const migrated = [...(inputs.has(entry) ? [entry] : []), ...overrides.filter((path) => inputs.has(path))];
  return {
    setAside: migrated.map((from) => ({ from, to: freeName(`${from}.orig`) })),
    foreignOverride: overrides.find((path) => !inputs.has(path)),
  };
}

/** The files the proof loads for the new tree in `outDir`, as plain `docker compose` would there. */
export function entryFiles(outDir: string, inTheWay: FilesInTheWay): string[] {
  return [join(outDir, 'compose.yaml'), ...(inTheWay.foreignOverride ? [join(outDir, basename(inTheWay.foreignOverride))] : [])];
}

/** Where a migrated file is once set aside (itself when it was not). */
export function pathAfterSetAside(inTheWay: FilesInTheWay): (path: string) => string {
  const moved = new Map(inTheWay.setAside.map((file) => [file.from, file.to]));
  return (path) => moved.get(path) ?? path;
}

function freeName(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}.${n}`;
  return candidate;
}
