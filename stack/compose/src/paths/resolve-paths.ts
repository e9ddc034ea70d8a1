import { isAbsolute, join } from 'node:path';
import { isPlainObject } from '../plain-object.js';
import { PatternCursor, type TreePath } from '../tree-path.js';

type Resolver = (value: unknown) => unknown;

const REMOTE_CONTEXT_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];

/**
 * `path.join`, then without a trailing slash, as Go's `filepath.Join` cleans it (`../` is the
 * parent folder itself): compose-go resolves relative paths with it.
 */
function joinClean(base: string, path: string): string {
  const joined = join(base, path);
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

/**
 * Expands a leading `~` to the home directory, as Compose does for host paths: compose-go's
 * ExpandUser joins `$HOME` (Go's os.UserHomeDir) with everything after the `~`, so `~user/x` is
 * `$HOME/user/x`, not user's home; without HOME the path stays as written.
 */
export function expandUser(path: string, home: string | undefined): string {
  if (path.startsWith('~') && home) return joinClean(home, path.slice(1));
  return path;
}

/**
 * Makes every relative host path of a (canonical) model absolute against `baseDir`: build
 * contexts, env files, bind mounts, secret/config files, extends files, watch paths, include paths.
 */
type ResolverName = 'absPath' | 'maybeUnixPath' | 'contextPath' | 'volumeMount' | 'volumeDriverOpts';

const RESOLVERS: ReadonlyArray<readonly [TreePath, ResolverName]> = [
  ['services.*.build.context', 'contextPath'],
  ['services.*.build.additional_contexts.*', 'contextPath'],
  ['services.*.build.ssh.*', 'maybeUnixPath'],
  ['services.*.env_file.*.path', 'absPath'],
  ['services.*.label_file.*', 'absPath'],
  ['services.*.extends.file', 'absPath'],
  ['services.*.develop.watch.*.path', 'absPath'],
  ['services.*.volumes.*', 'volumeMount'],
  ['configs.*.file', 'maybeUnixPath'],
  ['secrets.*.file', 'maybeUnixPath'],
  ['include.path', 'absPath'],
  ['include.project_directory', 'absPath'],
  ['include.env_file', 'absPath'],
  ['volumes.*', 'volumeDriverOpts'],
];

/**
 * Makes every relative host path of a (canonical) model absolute against `baseDir`: build
 * contexts, env files, bind mounts, secret/config files, extends files, watch paths, include paths.
 */
export function resolveRelativePaths(model: Record<string, unknown>, baseDir: string, home: string | undefined): void {
  const absPath: Resolver = (value) => {
    if (Array.isArray(value)) return value.map(absPath);
    if (typeof value !== 'string') return value;
    const expanded = expandUser(value, home);
    if (expanded === '' || isAbsolute(expanded)) return expanded;
    return joinClean(baseDir, expanded);
  };
  const maybeUnixPath: Resolver = (value) => {
    if (typeof value !== 'string') return value;
    const expanded = expandUser(value, home);
    if (isAbsolute(expanded) || /^[a-zA-Z]:[\\/]/.test(expanded) || expanded.startsWith('\\\\')) return expanded;
    return joinClean(baseDir, expanded);
  };
  const resolvers: Record<ResolverName, Resolver> = {
    absPath,
    maybeUnixPath,
    contextPath: (value) => {
      if (typeof value !== 'string') return value;
      if (value.includes('://') || value.startsWith('service:')) return value;
      if (REMOTE_CONTEXT_PREFIXES.some((prefix) => value.startsWith(prefix))) return value;
      return absPath(value);
    },
    volumeMount: (value) => {
      if (!isPlainObject(value) || value.type !== 'bind') return value;
      if (typeof value.source === 'string') value.source = maybeUnixPath(value.source);
      return value;
    },
    volumeDriverOpts: (value) => {
      if (!isPlainObject(value) || value.driver !== 'local' || !isPlainObject(value.driver_opts)) return value;
      const options = value.driver_opts;
      if (options.o === 'bind' && 'device' in options) options.device = maybeUnixPath(options.device);
      return value;
    },
  };
  const walk = (value: unknown, place: PatternCursor<ResolverName>): unknown => {
    if (place.isDeadEnd) return value;
    const resolver = place.value;
    if (resolver) return resolvers[resolver](value);
    if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) value[key] = walk(item, place.child(key));
    } else if (Array.isArray(value)) {
      const itemPlace = place.child('[]');
      value.forEach((item, index) => {
        value[index] = walk(item, itemPlace);
      });
    }
    return value;
  };
  walk(model, PatternCursor.root(RESOLVERS));
}
