import { isDeepStrictEqual } from 'node:util';

/** One difference between two resolved models, at a path of keys and list items. */
export interface ModelDifference {
  /** Keys from the model's root: `['services', 'api', 'ports', '0', 'published']`. */
  path: string[];
  /** added: only on the right; removed: only on the left; changed: on both, different. */
  kind: 'added' | 'removed' | 'changed';
  left?: unknown;
  right?: unknown;
}

/**
 * Lists of mappings whose items Compose identifies by a key, so an item inserted in the middle
 * reads as one addition, not as every later item changed. Other lists are compared whole when
 * they hold scalars (a command, cap_drop) and item by item otherwise.
 */
const LIST_ITEM_KEYS: Readonly<Record<string, readonly string[]>> = {
  volumes: ['target'],
  ports: ['target', 'protocol', 'host_ip'],
  secrets: ['target', 'source'],
  configs: ['target', 'source'],
  devices: ['target'],
  env_file: ['path'],
  watch: ['path', 'action'],
};

/**
 * Compares two models (plain JSON values, e.g. `docker compose config --format json` of two
 * environments) key by key. Mappings recurse; lists of scalars compare whole; lists of mappings
 * match items by their identifying keys where the list is known, else by position.
 */
export function diffModels(left: unknown, right: unknown, path: string[] = []): ModelDifference[] {
  if (isDeepStrictEqual(left, right)) return [];
  if (isMapping(left) && isMapping(right)) {
    const differences: ModelDifference[] = [];
    const keys = [...Object.keys(left), ...Object.keys(right).filter((key) => !(key in left))];
    for (const key of keys) {
      const next = [...path, key];
      if (!(key in right)) differences.push({ path: next, kind: 'removed', left: left[key] });
      else if (!(key in left)) differences.push({ path: next, kind: 'added', right: right[key] });
      else differences.push(...diffModels(left[key], right[key], next));
    }
    return differences;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.some(isMapping) && right.some(isMapping)) return diffLists(left, right, path);
  return [{ path, kind: 'changed', left, right }];
}

function diffLists(left: unknown[], right: unknown[], path: string[]): ModelDifference[] {
  const identity = LIST_ITEM_KEYS[path[path.length - 1] ?? ''];
  const keyOf = (item: unknown): string | undefined =>
    identity && isMapping(item) ? JSON.stringify(identity.map((key) => item[key] ?? null)) : undefined;
  const leftKeys = left.map(keyOf);
  const rightKeys = right.map(keyOf);
  const unique = (keys: Array<string | undefined>) => keys.every((key) => key !== undefined) && new Set(keys).size === keys.length;
  if (!identity || !unique(leftKeys) || !unique(rightKeys)) {
    const differences: ModelDifference[] = [];
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
      const next = [...path, String(index)];
      if (index >= right.length) differences.push({ path: next, kind: 'removed', left: left[index] });
      else if (index >= left.length) differences.push({ path: next, kind: 'added', right: right[index] });
      else differences.push(...diffModels(left[index], right[index], next));
    }
    return differences;
  }
  const differences: ModelDifference[] = [];
  left.forEach((item, index) => {
    const match = rightKeys.indexOf(leftKeys[index]);
    const next = [...path, String(index)];
    if (match < 0) differences.push({ path: next, kind: 'removed', left: item });
    else differences.push(...diffModels(item, right[match], next));
  });
  right.forEach((item, index) => {
    if (!leftKeys.includes(rightKeys[index])) differences.push({ path: [...path, String(index)], kind: 'added', right: item });
  });
  return differences;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `services.api.ports[0].published`: a path as people read it (list items in brackets). */
export function formatPath(path: readonly string[]): string {
  return path.reduce((text, key) => {
    if (/^\d+$/.test(key)) return `${text}[${key}]`;
    const plain = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
    return text === '' ? plain : `${text}.${plain}`;
  }, '');
}
