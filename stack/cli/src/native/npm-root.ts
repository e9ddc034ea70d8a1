import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The npm project root: the nearest folder at or above `dir` with a package.json. A module of its
 * own so commands that only need the root (`stack ps`) do not load the plan builder and zod.
 */
export function findNpmRoot(dir: string): string {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current;
    const parent = dirname(current);
    if (parent === current) return resolve(dir);
    current = parent;
  }
}
