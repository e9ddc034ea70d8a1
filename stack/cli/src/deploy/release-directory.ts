import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { NativeProcessSpec } from '../native/native-plan.js';

/*
 * A release's own copy of what it runs, in `.stack/native/<project>/releases/<id>/`: the built
 * output (`package.json` and `dist/`) of every workspace package a process starts from, and of the
 * project's own packages under `node_modules/@codiesvibe/`, where Node looks first from inside the
 * copy, and the built files a process is told to serve (the gateway's FRONTEND_DIR, frontend/dist).
 * Third-party packages are linked, not copied: a build does not change them. The next build
 * in the working tree (a failed deploy's included) leaves a running release's files alone, and
 * `deploy --rollback` starts the previous release from its copy.
 */

const SCOPE = '@codiesvibe';

export interface StoredRelease {
  id: string;
  specs: NativeProcessSpec[];
}

/** Copies what `specs` run into `dir` and points their command lines at the copy. */
export function snapshotRelease(root: string, dir: string, specs: NativeProcessSpec[]): NativeProcessSpec[] {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const copied = new Set<string>();
  const copyPackage = (packageDir: string, target: string) => {
    if (copied.has(target)) return;
    copied.add(target);
    mkdirSync(target, { recursive: true });
    cpSync(join(packageDir, 'package.json'), join(target, 'package.json'));
    if (existsSync(join(packageDir, 'dist'))) cpSync(join(packageDir, 'dist'), join(target, 'dist'), { recursive: true, dereference: true });
    if (existsSync(join(packageDir, 'node_modules'))) symlinkSync(realpathSync(join(packageDir, 'node_modules')), join(target, 'node_modules'));
  };
  const served = new Map<string, string>();
  const serveFromRelease = (value: string) => {
    if (!isServedBuild(root, value)) return value;
    const inRelease = join(dir, relative(root, value));
    if (!served.has(value)) cpSync(value, inRelease, { recursive: true, dereference: true });
    served.set(value, inRelease);
    return inRelease;
  };
  const moved = specs.map((spec) => ({
    ...spec,
    env: Object.fromEntries(Object.entries(spec.env).map(([key, value]) => [key, serveFromRelease(value)])),
    argv: spec.argv.map((arg) => {
      const file = isAbsolute(arg) ? arg : join(spec.cwd, arg);
      const packageDir = packageOf(root, file);
      if (!packageDir || !existsSync(file)) return arg;
      const inRelease = join(dir, relative(root, packageDir));
      copyPackage(packageDir, inRelease);
      return join(inRelease, relative(packageDir, file));
    }),
  }));
  // The project's own packages the copied ones depend on (and theirs), beside them.
  const pending = [...copied].flatMap(scopedDependencies);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const link = join(root, 'node_modules', name);
    const target = join(dir, 'node_modules', name);
    if (copied.has(target) || !existsSync(link)) continue;
    copyPackage(realpathSync(link), target);
    pending.push(...scopedDependencies(target));
  }
  return moved;
}

/** Writes the release's specs beside its copy, for `deploy --rollback`. */
export function storeRelease(dir: string, release: StoredRelease): void {
  writeFileSync(join(dir, 'release.json'), JSON.stringify(release), { mode: 0o600 });
}

/** The stored release of `dir`, or undefined when it has none (a release started by `stack up`). */
export function readStoredRelease(dir: string): StoredRelease | undefined {
  try {
    const stored = JSON.parse(readFileSync(join(dir, 'release.json'), 'utf8')) as StoredRelease;
    return Array.isArray(stored.specs) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** `@codiesvibe/*` names in a package's dependencies. */
function scopedDependencies(packageDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith(`${SCOPE}/`));
}

/** A build output folder below `root` a process is given by path (`…/dist`, not in node_modules or .stack). */
function isServedBuild(root: string, value: string): boolean {
  if (!isAbsolute(value)) return false;
  const segments = relative(root, value).split('/');
  if (segments[0] === '..' || segments[0] === '' || segments.includes('node_modules') || segments[0] === '.stack' || !segments.includes('dist')) return false;
  try {
    return statSync(value).isDirectory();
  } catch {
    return false;
  }
}

/** The workspace package (below `root`, not in node_modules) holding `file`, if any. */
function packageOf(root: string, file: string): string | undefined {
  const fromRoot = relative(root, file);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot) || fromRoot.split('/').includes('node_modules')) return undefined;
  for (let dir = dirname(file); dir !== root && dir.length > root.length; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}
