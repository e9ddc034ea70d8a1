/**
 * Dotted paths into the model (`services.web.ports`), with `*` matching any key and `[]` used
 * for list items. Keys containing dots are escaped so a label key never splits a path.
 */
const ESCAPED_DOT = '\u0000';

export type TreePath = string;

/** Appends one key to a path. */
export function nextPath(path: TreePath, key: string): TreePath {
  const part = key.includes('.') ? key.replaceAll('.', ESCAPED_DOT) : key;
  return path === '' ? part : `${path}.${part}`;
}

/** True when `path` has as many parts as `pattern` and each part equals or is matched by `*`. */
export function pathMatches(path: TreePath, pattern: TreePath): boolean {
  const parts = path.split('.');
  const patternParts = pattern.split('.');
  if (parts.length !== patternParts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const want = patternParts[i];
    if (want !== '*' && want !== parts[i]) return false;
  }
  return true;
}

/** The readable form of a path (escaped dots restored). */
export function pathToString(path: TreePath): string {
  return path.split(ESCAPED_DOT).join('.');
}

const NO_MATCH = Symbol('no match');

interface CompiledTable<T> {
  byLength: Map<number, Array<readonly [string[], T]>>;
  memo: Map<TreePath, T | typeof NO_MATCH>;
}

const compiledTables = new WeakMap<object, CompiledTable<unknown>>();
const MEMO_LIMIT = 20_000;

function compile<T>(table: ReadonlyArray<readonly [TreePath, T]>): CompiledTable<T> {
  const cached = compiledTables.get(table) as CompiledTable<T> | undefined;
  if (cached) return cached;
  const byLength = new Map<number, Array<readonly [string[], T]>>();
  for (const [pattern, value] of table) {
    const parts = pattern.split('.');
    const bucket = byLength.get(parts.length) ?? [];
    bucket.push([parts, value]);
    byLength.set(parts.length, bucket);
  }
  const compiled: CompiledTable<T> = { byLength, memo: new Map() };
  compiledTables.set(table, compiled);
  return compiled;
}

/**
 * Finds the first pattern of `table` matching `path`. Tables are compiled once and lookups are
 * memoized: the walkers of the loader call this for every node of every file.
 */
export function lookupPattern<T>(table: ReadonlyArray<readonly [TreePath, T]>, path: TreePath): T | undefined {
  const compiled = compile(table);
  // One map lookup per call, found or not (most paths match no pattern).
  const known = compiled.memo.get(path);
  if (known !== undefined) return known === NO_MATCH ? undefined : known;
  const parts = path.split('.');
  let found: T | undefined;
  for (const [pattern, value] of compiled.byLength.get(parts.length) ?? []) {
    if (pattern.every((want, index) => want === '*' || want === parts[index])) {
      found = value;
      break;
    }
  }
  if (compiled.memo.size >= MEMO_LIMIT) compiled.memo.clear();
  compiled.memo.set(path, found === undefined ? NO_MATCH : found);
  return found;
}

/**
 * A place in a table of path patterns, for walkers that descend the model one key at a time:
 * `value` is what the first pattern matching the path says, `child(key)` the place one key
 * further. No path is built or split, and each place remembers its steps, so a second walk costs
 * one map lookup per key (looking whole paths up was a fifth of the resolve time).
 */
export class PatternCursor<T> {
  private readonly steps = new Map<string, PatternCursor<T>>();
  /** The one place every key leads to, or null where some pattern names the next key (unknown: undefined). */
  private anyKey: PatternCursor<T> | null | undefined = undefined;

  private constructor(
    private readonly depth: number,
    /** The patterns that match the path so far, in table order. */
    private readonly candidates: ReadonlyArray<{ parts: readonly string[]; value: T }>,
    readonly value: T | undefined,
  ) {}

  /** The place of the empty path (the model's root) in `table`. */
  static root<T>(table: ReadonlyArray<readonly [TreePath, T]>): PatternCursor<T> {
    const known = roots.get(table) as PatternCursor<T> | undefined;
    if (known) return known;
    const patterns = table.map(([pattern, value]) => ({ parts: pattern.split('.'), value }));
    const root = new PatternCursor(0, patterns, undefined);
    roots.set(table, root);
    return root;
  }

  /**
   * True when no pattern matches this path or any path below it: a walk looking for the table's
   * places has nothing left to do in this subtree (most of a model is such subtrees).
   */
  get isDeadEnd(): boolean {
    return this.candidates.length === 0;
  }

  /** The place of `key` below this one (`[]` for a list item). */
  child(key: string): PatternCursor<T> {
    // Below a place no pattern reaches, nothing matches either.
    if (this.candidates.length === 0) return this;
    // Where every pattern has `*` at the next step (below `services`, `environment`, `labels` ...),
    // every key leads to the same place: one cursor for all, not one per service or variable name.
    if (this.anyKey === undefined) {
      const depth = this.depth + 1;
      this.anyKey = this.candidates.every(({ parts }) => parts.length < depth || parts[depth - 1] === '*') ? this.step(key) : null;
    }
    if (this.anyKey !== null) return this.anyKey;
    const known = this.steps.get(key);
    if (known) return known;
    const next = this.step(key);
    if (this.steps.size < MEMO_LIMIT) this.steps.set(key, next);
    return next;
  }

  /** The place of `key` below this one, worked out from the patterns. */
  private step(key: string): PatternCursor<T> {
    const part = key.includes('.') ? key.replaceAll('.', ESCAPED_DOT) : key;
    const depth = this.depth + 1;
    const candidates = this.candidates.filter(({ parts }) => parts.length >= depth && (parts[depth - 1] === '*' || parts[depth - 1] === part));
    return new PatternCursor(depth, candidates, candidates.find(({ parts }) => parts.length === depth)?.value);
  }
}

const roots = new WeakMap<object, PatternCursor<unknown>>();
