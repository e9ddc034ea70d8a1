import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, markedEnv } from './native-stack-harness.js';

/*
 * Staging and production natively read and write things a developer's checkout holds for real:
 * `.env.production`, `secrets/`, `.data/`, `.stack/`. A test therefore runs them in a throwaway
 * copy of the project: the compose tree, config and env templates copied (a test may break them),
 * the code, builds and dependencies linked from the repository. The copy is what a user has after
 * a clone and a build.
 */
const LINKED = ['package.json', 'node_modules', 'backend', 'frontend', 'stack'];
const COPIED = ['compose.yaml', 'docker-compose', 'config', '.env.development', '.env.testing', '.env.staging.example', '.env.production.example'];

export interface ProjectCopy {
  root: string;
  /** Runs `stack ARGS` in the copy, as `npx stack` would, with this run's marker in its environment. */
  stack: (args: string[], env?: NodeJS.ProcessEnv, timeoutMs?: number) => SpawnSyncReturns<string>;
  remove: () => void;
}

export function copyProject(prefix = 'codiesvibe-e2e-'): ProjectCopy {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const name of LINKED) symlinkSync(join(REPO_ROOT, name), join(root, name));
  for (const name of COPIED) {
    const source = join(REPO_ROOT, name);
    if (!existsSync(source)) continue;
    if (name.startsWith('.env') || name.endsWith('.yaml')) copyFileSync(source, join(root, name));
    else cpSync(source, join(root, name), { recursive: true });
  }
  return {
    root,
    stack: (args, env = {}, timeoutMs = 300_000) =>
      spawnSync(process.execPath, [join(root, 'stack', 'cli', 'bin', 'stack.js'), ...args], {
        cwd: root,
        env: markedEnv(env),
        encoding: 'utf8',
        timeout: timeoutMs,
      }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
