import { existsSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_OVERRIDE_FILE_NAMES } from '@codiesvibe/compose';

/** An override file migrate moves out of Compose's way, and the name it gets. */
export interface SetAsideFile {
  from: string;
  to: string;
}

/**
 * What plain `docker compose` in the output folder would load besides the new compose.yaml.
 * Compose adds the first override file it finds there (compose.override.yml, ...) to the entry file.
 */
export interface OverrideFiles {
  /**
   * Override files in the output folder that are among the migrated files: the new tree holds
   * their settings, so Compose must not load them again on top of it. `--write` renames them.
   */
  setAside: SetAsideFile[];
  /** An override file that is not migrated, which Compose would still load on top of the new tree. */
  foreign?: string;
}

export function findOverrideFiles(outDir: string, inputs: ReadonlySet<string>): OverrideFiles {
  const candidates = DEFAULT_OVERRIDE_FILE_NAMES.map((name) => join(outDir, name)).filter((path) => existsSync(path));
  return {
    setAside: candidates.filter((path) => inputs.has(path)).map((from) => ({ from, to: freeName(`${from}.orig`) })),
    foreign: candidates.find((path) => !inputs.has(path)),
  };
}

/** The files the proof loads for the new tree in `outDir`, as plain `docker compose` would there. */
export function entryFiles(outDir: string, overrides: OverrideFiles): string[] {
  return [join(outDir, 'compose.yaml'), ...(overrides.foreign ? [join(outDir, basename(overrides.foreign))] : [])];
}

export function setAsideOverrides(overrides: OverrideFiles): void {
  for (const file of overrides.setAside) renameSync(file.from, file.to);
}

function freeName(path: string): string {
  let candidate = path;
  for (let n = 2; existsSync(candidate); n++) candidate = `${path}.${n}`;
  return candidate;
}
