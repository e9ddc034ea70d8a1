import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_ERROR_CODES, StackError } from '../errors.js';

interface Manifest {
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The version range each of `names` has in the repository: the range a workspace already declares
 * (so a new service never pulls a second copy), else the installed version. Returns the names it
 * cannot find in `missing`.
 */
export function repositoryVersions(projectDir: string, workspaces: readonly string[], names: readonly string[]): { versions: Map<string, string>; missing: string[] } {
  const manifests = ['.', ...workspaces].map((dir) => join(projectDir, dir, 'package.json')).filter((file) => existsSync(file)).map(readManifest);
  const versions = new Map<string, string>();
  const missing: string[] = [];
  for (const name of names) {
    const declared = manifests.map((manifest) => manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]).find((range) => range !== undefined);
    const installed = join(projectDir, 'node_modules', name, 'package.json');
    const range = declared ?? (existsSync(installed) ? `^${String((JSON.parse(readFileSync(installed, 'utf8')) as { version?: string }).version)}` : undefined);
    if (range) versions.set(name, range);
    else missing.push(name);
  }
  return { versions, missing };
}

export function readManifest(file: string): Manifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, `${file}: not valid JSON (${error.message}); fix it (npm cannot read it either)`);
  }
}
