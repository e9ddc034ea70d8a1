/**
 * True for plain objects (mappings), false for arrays, null and scalars. In a module of its own so
 * what only walks models (printing, merging) does not import the YAML parser.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
