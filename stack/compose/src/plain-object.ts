import { YamlTimestamp } from './yaml/yaml-timestamp.js';

/**
 * True for plain objects (mappings), false for arrays, null and scalars (a YamlTimestamp is one).
 * In a module of its own so what only walks models (printing, merging) does not import the YAML
 * parser.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof YamlTimestamp);
}

/** A deep copy of a decoded YAML value (structuredClone would turn a YamlTimestamp into a mapping). */
export function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setEntry(out, key, cloneValue(item));
  return out as T;
}

/**
 * Sets `key` on `target` as an entry of its own. A compose file may name anything `__proto__` (a
 * plain map key for Compose); assigned the usual way, that key would set the object's prototype
 * and vanish from the model.
 */
export function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * What Go's reflect.DeepEqual says of two decoded YAML values: equal scalars (`==`, so NaN is
 * never equal), lists with equal items in order, mappings with the same keys and equal values.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
}
