import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { compareKeys, goFormat } from '../model/go-format.js';
import { lookupPattern, nextPath, pathToString, type TreePath } from '../tree-path.js';

type Merger = (base: unknown, override: unknown, path: TreePath) => unknown;

/**
 * Merges compose model `override` over `base` with Compose's per-key rules: mappings merge
 * key by key, sequences append, scalars are replaced, and the special cases below.
 * Both inputs may be modified; use the return value.
 */
export function mergeModels(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  return mergeValue(base, override, '') as Record<string, unknown>;
}

/** Merges a service definition over the one it extends. */
export function mergeExtendedService(base: Record<string, unknown>, service: Record<string, unknown>): Record<string, unknown> {
  return mergeValue(base, service, 'services.x') as Record<string, unknown>;
}

const replace: Merger = (_base, override) => override;

const SPECIAL_MERGES: ReadonlyArray<readonly [TreePath, Merger]> = [
  ['networks.*.ipam.config', mergeIpamConfig],
  ['networks.*.labels', mergeToSequence],
  ['volumes.*.labels', mergeToSequence],
  ['services.*.annotations', mergeToSequence],
  ['services.*.build', mergeBuild],
  ['services.*.build.args', mergeToSequence],
  ['services.*.build.additional_contexts', mergeToSequence],
  ['services.*.build.extra_hosts', mergeExtraHosts],
  ['services.*.build.labels', mergeToSequence],
  ['services.*.command', replace],
  ['services.*.depends_on', mergeDependsOn],
  ['services.*.deploy.labels', mergeToSequence],
  ['services.*.dns', mergeToSequence],
  ['services.*.dns_opt', mergeToSequence],
  ['services.*.dns_search', mergeToSequence],
  ['services.*.entrypoint', replace],
  ['services.*.env_file', mergeToSequence],
  ['services.*.label_file', mergeToSequence],
  ['services.*.environment', mergeToSequence],
  ['services.*.extra_hosts', mergeExtraHosts],
  ['services.*.healthcheck.test', replace],
  ['services.*.labels', mergeToSequence],
  ['services.*.volumes.*.volume.labels', mergeToSequence],
  ['services.*.logging', mergeLogging],
  ['services.*.models', mergeNamedMapping],
  ['services.*.networks', mergeNamedMapping],
  ['services.*.sysctls', mergeToSequence],
  ['services.*.tmpfs', mergeToSequence],
  ['services.*.ulimits.*', mergeUlimit],
];

function mergeValue(base: unknown, override: unknown, path: TreePath): unknown {
  const special = lookupPattern(SPECIAL_MERGES, path);
  if (special) return special(base, override, path);
  if (override === null || override === undefined) return base;
  if (isPlainObject(base)) {
    if (!isPlainObject(override)) throw cannotOverride(path);
    return mergeMappings(base, override, path);
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(override)) throw cannotOverride(path);
    return [...(base as unknown[]), ...(override as unknown[])];
  }
  return override;
}

function cannotOverride(path: TreePath): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.MERGE, `cannot override ${pathToString(path)}: the files give it different types`, {
    modelPath: path,
  });
}

function mergeMappings(base: Record<string, unknown>, override: Record<string, unknown>, path: TreePath): Record<string, unknown> {
  for (const [key, value] of Object.entries(override)) {
    if (!Object.hasOwn(base, key)) {
      setEntry(base, key, value);
      continue;
    }
    setEntry(base, key, mergeValue(base[key], value, nextPath(path, key)));
  }
  return base;
}

function mergeLogging(base: unknown, override: unknown, path: TreePath): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override ?? base;
  // Options merge only when both files name the same driver, or one names none.
  if (!('driver' in override) || !('driver' in base) || override.driver === base.driver) return mergeMappings(base, override, path);
  return override;
}

function mergeBuild(base: unknown, override: unknown, path: TreePath): unknown {
  const toBuild = (value: unknown): Record<string, unknown> => {
    if (typeof value === 'string') return { context: value };
    return isPlainObject(value) ? value : {};
  };
  if (override === null || override === undefined) return base;
  return mergeMappings(toBuild(base), toBuild(override), path);
}

function mergeDependsOn(base: unknown, override: unknown, path: TreePath): unknown {
  const defaults = { condition: 'service_started', required: true };
  return mergeMappings(toMapping(base, defaults), toMapping(override, defaults), path);
}

function mergeNamedMapping(base: unknown, override: unknown, path: TreePath): unknown {
  return mergeMappings(toMapping(base), toMapping(override), path);
}

function mergeExtraHosts(base: unknown, override: unknown): unknown {
  const left = toSequence(base);
  const right = toSequence(override).filter((entry) => !left.includes(entry));
  return [...left, ...right];
}

function mergeToSequence(base: unknown, override: unknown): unknown {
  return [...toSequence(base), ...toSequence(override)];
}

function mergeUlimit(_base: unknown, override: unknown): unknown {
  return override;
}

function mergeIpamConfig(base: unknown, override: unknown, path: TreePath): unknown {
  if (!Array.isArray(base) || !Array.isArray(override)) return override ?? base;
  const result: Record<string, unknown>[] = [];
  const indexOfSubnet = (subnet: unknown): number => result.findIndex((entry) => entry.subnet === subnet);
  for (const original of base) {
    const left = toMapping(original);
    for (const candidate of override) {
      const right = toMapping(candidate);
      if (right.subnet !== left.subnet && indexOfSubnet(right.subnet) < 0) {
        result.push(right);
        continue;
      }
      const merged = mergeMappings(left, right, path);
      const index = indexOfSubnet(merged.subnet);
      if (index >= 0) result[index] = merged;
      else result.push(merged);
    }
  }
  return result;
}

/** A list of names (`[a, b]`) as a mapping of each name to a copy of `defaults` (or null). */
export function toMapping(value: unknown, defaults?: Record<string, unknown>): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  if (Array.isArray(value)) {
    for (const name of value) setEntry(out, String(name), defaults ? { ...defaults } : null);
  }
  return out;
}

/** A `KEY: value` mapping as a sorted `KEY=value` list (Go's fmt of the value); lists as is. */
export function toSequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [value];
  if (!isPlainObject(value)) return [];
  const out: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) out.push(key);
    else if (Array.isArray(item)) for (const element of item) out.push(`${key}=${goFormat(element)}`);
    else out.push(`${key}=${goFormat(item)}`);
  }
  return out.sort(compareKeys);
}
