import { isPlainObject } from '../plain-object.js';
import type { TreePath } from '../tree-path.js';

/**
 * Removes from `target` every value at a path tagged `!reset` or `!override` in the next file,
 * so that file's value replaces (or removes) instead of merging. Like Compose, only mapping keys
 * are reset, not single list items.
 */
export function applyResets(target: Record<string, unknown>, resetPaths: readonly TreePath[]): void {
  for (const path of resetPaths) {
    const parts = path.split('.');
    let node: unknown = target;
    for (let i = 0; i < parts.length - 1; i++) {
      node = isPlainObject(node) ? node[unescapeKey(parts[i] ?? '')] : undefined;
    }
    const last = unescapeKey(parts[parts.length - 1] ?? '');
    if (isPlainObject(node) && last in node) delete node[last];
  }
}

function unescapeKey(part: string): string {
  return part.split('\u0000').join('.');
}
