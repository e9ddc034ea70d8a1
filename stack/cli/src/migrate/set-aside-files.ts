import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_OVERRIDE_FILE_NAMES } from '@codiesvibe/compose';
import type { MigrateRequest } from './migrate-options.js';
import { ENTRY_FILE_FIRST_LINE } from './plan-tree.js';

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

/**
 * The same command run again after `--write`: the migrated files set aside are read where they
 * are now, so the second run proves the same tree again and writes nothing. A migrated
 * `compose.yaml` that is now the tree's entry file is read from its `.orig`, and so is a migrated
 * override file that is gone; the latest one when there are several (`.orig.2`, ...).
 */
export function readSetAsideOriginals(request: MigrateRequest): { request: MigrateRequest; readFromSetAside: SetAsideFile[] } {
  const readFromSetAside: SetAsideFile[] = [];
  const inPlaceOf = (path: string): string => {
    const name = basename(path);
    if (dirname(path) !== request.outDir || !(name === 'compose.yaml' || DEFAULT_OVERRIDE_FILE_NAMES.includes(name))) return path;
    const replaced = name === 'compose.yaml' ? isTreeEntry(path) : !existsSync(path);
    const setAside = replaced ? latestSetAside(path) : undefined;
    if (setAside === undefined) return path;
    if (!readFromSetAside.some((file) => file.from === path)) readFromSetAside.push({ from: path, to: setAside });
    return setAside;
  };
  return {
    request: {
      ...request,
      environments: request.environments.map((environment) => ({ ...environment, files: environment.files.map(inPlaceOf) })),
      groups: request.groups.map((group) => ({ ...group, files: group.files.map(inPlaceOf) })),
    },
    readFromSetAside,
  };
}

function isTreeEntry(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').startsWith(`# ${ENTRY_FILE_FIRST_LINE}`);
  } catch {
    return false;
  }
}

/** The newest `<path>.orig[.N]` that is not itself a tree entry file, if any. */
function latestSetAside(path: string): string | undefined {
  let latest: string | undefined;
  for (let n = 1, candidate = `${path}.orig`; existsSync(candidate); n++, candidate = `${path}.orig.${n}`) {
    if (!isTreeEntry(candidate)) latest = candidate;
  }
  return latest;
}

function freeName(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}.${n}`;
  return candidate;
}
