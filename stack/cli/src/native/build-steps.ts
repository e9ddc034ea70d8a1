import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STACK_ERROR_CODES, StackError } from '../errors.js';

/** A build command from an `x-native.build`, run from the npm project root. */
export interface BuildStep {
  service: string;
  argv: string[];
}

/**
 * Several services build the same workspaces (each lists the shared kit before itself). Merges
 * every `npm run build -w A -w B` into one invocation over the union of workspaces, in order of
 * first mention so dependencies still build first, and keeps other commands as they are, once each.
 */
export function mergeBuildSteps(steps: BuildStep[]): BuildStep[] {
  const workspaces: string[] = [];
  const services: string[] = [];
  const others = new Map<string, BuildStep>();
  for (const step of steps) {
    const npmWorkspaces = npmBuildWorkspaces(step.argv);
    if (npmWorkspaces) {
      for (const workspace of npmWorkspaces) if (!workspaces.includes(workspace)) workspaces.push(workspace);
      services.push(step.service);
    } else if (!others.has(step.argv.join('\0'))) {
      others.set(step.argv.join('\0'), step);
    }
  }
  const merged = workspaces.length
    ? [{ service: services.join(', '), argv: ['npm', 'run', 'build', ...workspaces.flatMap((w) => ['-w', w])] }]
    : [];
  return [...merged, ...others.values()];
}

/** The workspaces of `npm run build -w A [-w B ...]`, or undefined for any other command. */
export function npmBuildWorkspaces(argv: string[]): string[] | undefined {
  const [npm, run, script, ...rest] = argv;
  if (npm !== 'npm' || run !== 'run' || script !== 'build' || rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const workspaces: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] !== '-w' && rest[i] !== '--workspace') return undefined;
    workspaces.push(rest[i + 1]!);
  }
  return workspaces;
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.data', 'coverage', 'test-results', '.vite']);

/** Newest modification time (ms) of the files under `dir`, build outputs and dependencies aside. */
export function newestSourceTime(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') && entry.name !== '.env') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) newest = Math.max(newest, newestSourceTime(path));
    } else if (entry.isFile()) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Whether an npm workspace build can be skipped: every workspace has a `dist` folder holding a
 * file at least as new as its newest source file (a build from the root or an earlier `up` counts).
 */
export function isBuildFresh(root: string, step: BuildStep): boolean {
  const workspaces = npmBuildWorkspaces(step.argv);
  if (!workspaces) return false;
  return workspaces.every((workspace) => {
    const dist = join(root, workspace, 'dist');
    return existsSync(dist) && newestFileTime(dist) >= newestSourceTime(join(root, workspace));
  });
}

function newestFileTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFileTime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs one build step, its output sent to `onLine`; rejects with the exit code on failure. */
export function runBuildStep(root: string, step: BuildStep, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = step.argv;
    const child = spawn(command!, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    // A failed build is the project's to fix, not a fault of stack (it read as STACK_ERR_INTERNAL).
    child.once('error', (error) =>
      reject(
        new StackError(
          STACK_ERROR_CODES.NATIVE,
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `build of ${step.service} could not start ${command}: it is not on PATH; install it or fix x-native.build`
            : `build of ${step.service} could not start ${command}: ${error.message}`,
        ),
      ),
    );
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new StackError(STACK_ERROR_CODES.NATIVE, `build of ${step.service} failed (${step.argv.join(' ')} exited with ${code})`)),
    );
  });
}
