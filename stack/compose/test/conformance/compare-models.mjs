// How a printed model is compared with a recorded one (shared by the conformance runner and the
// in-process conformance tests).

/** Replaces every occurrence of the case folder's path by `<PROJECT_DIR>` (in text or values). */
export function withPlaceholder(value, dir) {
  if (typeof value === 'string') return value.split(dir).join('<PROJECT_DIR>');
  if (Array.isArray(value)) return value.map((item) => withPlaceholder(item, dir));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[withPlaceholder(key, dir)] = withPlaceholder(item, dir);
    return out;
  }
  return value;
}

/**
 * The public corpus's comparison rules: `command` and `entrypoint` set to null are dropped
 * (Compose prints them for every service), null equals {} elsewhere, key order does not count.
 */
export function canonicalModel(value) {
  if (Array.isArray(value)) return value.map(canonicalModel);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === null && (key === 'command' || key === 'entrypoint')) continue;
      out[key] = item === null ? {} : canonicalModel(item);
    }
    return out;
  }
  return value;
}

/** The first difference between two JSON values, as `path: expected X, got Y`, or null. */
export function firstDifference(want, got, path = '$') {
  const show = (value) => JSON.stringify(value);
  if (typeof want !== typeof got || Array.isArray(want) !== Array.isArray(got) || (want === null) !== (got === null)) {
    return `${path}: expected ${show(want)}, got ${show(got)}`;
  }
  if (Array.isArray(want)) {
    if (want.length !== got.length) return `${path}: expected ${want.length} items ${show(want)}, got ${got.length} ${show(got)}`;
    for (let i = 0; i < want.length; i++) {
      const difference = firstDifference(want[i], got[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return null;
  }
  if (want && typeof want === 'object') {
    for (const key of Object.keys(want)) {
      if (!(key in got)) return `${path}.${key}: missing, expected ${show(want[key])}`;
      const difference = firstDifference(want[key], got[key], `${path}.${key}`);
      if (difference) return difference;
    }
    for (const key of Object.keys(got)) if (!(key in want)) return `${path}.${key}: unexpected ${show(got[key])}`;
    return null;
  }
  return want === got ? null : `${path}: expected ${show(want)}, got ${show(got)}`;
}
