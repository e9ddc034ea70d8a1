import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandIo } from '../../src/cli/command.js';
import type { GlobalOptions } from '../../src/cli/global-options.js';

/** The repository root (this file is stack/cli/test/architecture/). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Global options as `stack` parses them from an empty command line, plus overrides. */
export function globalOptions(overrides: Partial<GlobalOptions> = {}): GlobalOptions {
  return { files: [], envFiles: [], profiles: [], debug: false, help: false, ...overrides };
}

/** An io that records what a command prints, run from `cwd` with only PATH and HOME set. */
export function recordingIo(cwd: string): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  };
}
