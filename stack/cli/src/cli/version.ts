import { readFileSync } from 'node:fs';

/**
 * The version of `stack`: this package's own, read at run time so a release needs no code change.
 * `../package.json` is the package root from `src/cli/`, `dist/cli/` and a bundle in `dist/`.
 */
export function stackVersion(): string {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@codiesvibe/stack' && manifest.version) return manifest.version;
    } catch {
      // not the package root from here
    }
  }
  return 'unknown';
}

/** The line `stack --version` prints, like `docker compose version`. */
export function versionLine(): string {
  return `stack version ${stackVersion()} (node ${process.version})\n`;
}
