/** Replaces every occurrence of the case folder's path by `<PROJECT_DIR>`. */
export function withPlaceholder<T>(value: T, dir: string): T;
/** The public corpus's comparison rules (null command/entrypoint dropped, null equals {}). */
export function canonicalModel(value: unknown): unknown;
/** The first difference between two JSON values, as `path: expected X, got Y`, or null. */
export function firstDifference(want: unknown, got: unknown, path?: string): string | null;
