import { isDeepStrictEqual } from 'node:util';

/**
 * Splitting a service's definitions in several environments into what they share (the base file)
 * and what each adds (its environment file). The two parts never set the same leaf, so `extends`
 * puts them back together exactly: mappings merge key by key, and a list or a value that differs
 * anywhere is written whole in each environment (a full restatement, never appended to a base).
 */

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys Compose replaces instead of merging under `extends`: never split across base and environment. */
const ATOMIC_PATHS = [/^command$/, /^entrypoint$/, /^healthcheck\.test$/, /^ulimits\.[^.]+$/];

const isAtomic = (path: string) => ATOMIC_PATHS.some((pattern) => pattern.test(path));

/** What every one of `values` has in common, or undefined when nothing is shared. */
export function commonPart(values: readonly unknown[], path = ''): unknown {
  const [first] = values;
  if (values.every((value) => isDeepStrictEqual(value, first))) return first;
  if (isAtomic(path) || !values.every(isMapping)) return undefined;
  const mappings = values as Mapping[];
  const out: Mapping = {};
  for (const key of Object.keys(mappings[0] ?? {})) {
    if (!mappings.every((mapping) => key in mapping)) continue;
    const shared = commonPart(
      mappings.map((mapping) => mapping[key]),
      path === '' ? key : `${path}.${key}`,
    );
    if (shared !== undefined) out[key] = shared;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What `value` adds to `common` (a part of it returned by commonPart), or undefined when nothing. */
export function remainder(value: unknown, common: unknown): unknown {
  if (common === undefined) return value;
  if (isDeepStrictEqual(value, common)) return undefined;
  if (!isMapping(value) || !isMapping(common)) return value;
  const out: Mapping = {};
  for (const [key, item] of Object.entries(value)) {
    const rest = remainder(item, common[key]);
    if (rest !== undefined) out[key] = rest;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
