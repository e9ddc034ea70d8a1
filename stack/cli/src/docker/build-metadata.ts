import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The build args every image takes. Compose cannot run `$(date ...)` in a file, so stack computes
 * them and passes them as environment variables that the base files interpolate.
 */
export interface BuildMetadata {
  BUILD_DATE: string;
  GIT_COMMIT: string;
  VERSION: string;
}

/** Values from the clock, git and the root package.json; an explicit environment value wins. */
export function computeBuildMetadata(root: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): BuildMetadata {
  return {
    BUILD_DATE: env.BUILD_DATE || now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    GIT_COMMIT: env.GIT_COMMIT || gitCommit(root),
    VERSION: env.VERSION || packageVersion(root),
  };
}

function gitCommit(root: string): string {
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return git.status === 0 ? git.stdout.trim() : 'unknown';
}

function packageVersion(root: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
