import { spawnSync } from 'node:child_process';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import type { LockHolder } from './release-history.js';

/** A deploy that cannot go ahead, or a release that failed: one line (plus log lines), exit 1. */
export class DeployError extends StackError {
  constructor(message: string) {
    super(STACK_ERROR_CODES.DEPLOY, message);
  }
}

/**
 * Refuses a tree with uncommitted changes (a release should be a commit) unless `allowDirty`,
 * which only warns.
 * @throws DeployError naming the first changed files.
 */
export function checkCleanTree(root: string, allowDirty: boolean, say: (text: string) => void): void {
  const dirty = uncommittedChanges(root);
  if (dirty.length && !allowDirty) {
    throw new DeployError(`uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ` and ${dirty.length - 3} more` : ''}): a release should be a commit; commit them, or deploy anyway with --allow-dirty`);
  }
  if (dirty.length) say(`warning: deploying ${dirty.length} uncommitted change(s) (--allow-dirty)`);
}

/** The one line a second deploy prints: who holds the lock, since when, releasing what. */
export function lockedError(holder: LockHolder): StackError {
  return new StackError(STACK_ERROR_CODES.DEPLOY_LOCKED, `another deploy runs: ${holder.by} (pid ${holder.pid}) since ${holder.since}, releasing ${holder.version}; wait for it`);
}

/** Tracked files with changes (`git status`); empty outside a git checkout. */
function uncommittedChanges(root: string): string[] {
  const git = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (git.status !== 0) return [];
  return git.stdout.split('\n').filter(Boolean).map((line) => line.slice(3));
}
