import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import { nextPath, pathToString, PatternCursor, type TreePath } from '../tree-path.js';
import { parseVolumeSpec } from '../transform/volume-spec.js';
import { goFormat, goTypeName } from '../model/go-format.js';

type Indexer = (entry: unknown, path: TreePath) => string;

/**
 * After a merge, sequences that Compose treats as sets keyed by something (a port mapping, a
 * mount target, an env name ...) keep one entry per key: a later entry replaces the earlier one
 * in the earlier one's position.
 */
export function enforceUnicity(model: Record<string, unknown>): Record<string, unknown> {
  return unique(model, '', PatternCursor.root(UNIQUE_SEQUENCES)) as Record<string, unknown>;
}

const keyValue: Indexer = (entry, path) => {
  if (typeof entry !== 'string') {
    throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}: unexpected type ${goTypeName(entry)}`, { modelPath: path });
  }
  const equals = entry.indexOf('=');
  return equals >= 0 ? entry.slice(0, equals) : entry;
};

const volumeTarget: Indexer = (entry, path) => {
  if (isPlainObject(entry)) {
    if (typeof entry.target !== 'string') {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `service volume ${pathToString(path)} is missing a mount target`, {
        modelPath: path,
      });
    }
    return entry.target;
  }
  if (typeof entry === 'string') return parseVolumeSpec(entry).target ?? '';
  return '';
};

const deviceTarget: Indexer = (entry, path) => {
  if (isPlainObject(entry)) {
    if (typeof entry.target !== 'string') {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `service device ${pathToString(path)} is missing a mount target`, {
        modelPath: path,
      });
    }
    return entry.target;
  }
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    return parts.length === 1 ? (parts[0] ?? '') : (parts[1] ?? '');
  }
  return '';
};

const exposeKey: Indexer = (entry, path) => {
  if (typeof entry === 'string') return entry;
  if (Number.isSafeInteger(entry)) return String(entry);
  // Go's fmt prints a value of the wrong type for %s as `%!s(float64=80.5)`.
  throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}: unsupported expose value %!s(${goTypeName(entry)}=${goFormat(entry)})`, {
    modelPath: path,
  });
};

const mountTarget =
  (defaultPath: string): Indexer =>
  (entry) => {
    if (typeof entry === 'string') return `${defaultPath}/${entry}`;
    if (isPlainObject(entry)) {
      if (typeof entry.target === 'string') return entry.target;
      return `${defaultPath}/${String(entry.source)}`;
    }
    return '';
  };

const portKey: Indexer = (entry, path) => {
  if (typeof entry === 'number') return String(entry);
  if (typeof entry === 'string') return entry;
  if (isPlainObject(entry)) {
    if (!('target' in entry)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `service ports ${pathToString(path)} is missing a target port`, { modelPath: path });
    }
    // compose-go's Sprintf("%s:%s:%d/%s", host, published, target, protocol): a value of another
    // type prints as Go's verb error, so `published: 8080` and `"8080:80"` (published "8080")
    // are two keys and both entries stay.
    const host = entry.host_ip === undefined ? '0.0.0.0' : goString(entry.host_ip);
    const protocol = entry.protocol === undefined ? 'tcp' : goString(entry.protocol);
    return `${host}:${goString(entry.published)}:${goDecimal(entry.target)}/${protocol}`;
  }
  return '';
};

/** Go's `%s` of a decoded value. */
function goString(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? '%!s(<nil>)' : `%!s(${goTypeName(value)}=${goFormat(value)})`;
}

/** Go's `%d` of a decoded value. */
function goDecimal(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return value === null || value === undefined ? '%!d(<nil>)' : `%!d(${goTypeName(value)}=${goFormat(value)})`;
}

const envFileKey: Indexer = (entry) => {
  if (typeof entry === 'string') return entry;
  if (isPlainObject(entry)) return String(entry.path);
  return '';
};

const UNIQUE_SEQUENCES: ReadonlyArray<readonly [TreePath, Indexer]> = [
  ['networks.*.labels', keyValue],
  ['networks.*.ipam.options', keyValue],
  ['services.*.annotations', keyValue],
  ['services.*.build.args', keyValue],
  ['services.*.build.additional_contexts', keyValue],
  ['services.*.build.platform', keyValue],
  ['services.*.build.tags', keyValue],
  ['services.*.build.labels', keyValue],
  ['services.*.cap_add', keyValue],
  ['services.*.cap_drop', keyValue],
  ['services.*.configs', mountTarget('')],
  ['services.*.deploy.labels', keyValue],
  ['services.*.dns', keyValue],
  ['services.*.dns_opt', keyValue],
  ['services.*.dns_search', keyValue],
  ['services.*.environment', keyValue],
  ['services.*.env_file', envFileKey],
  ['services.*.expose', exposeKey],
  ['services.*.labels', keyValue],
  ['services.*.links', keyValue],
  ['services.*.networks.*.aliases', keyValue],
  ['services.*.networks.*.link_local_ips', keyValue],
  ['services.*.ports', portKey],
  ['services.*.profiles', keyValue],
  ['services.*.secrets', mountTarget('/run/secrets')],
  ['services.*.sysctls', keyValue],
  ['services.*.tmpfs', keyValue],
  ['services.*.volumes', volumeTarget],
  ['services.*.devices', deviceTarget],
];

/** The paths whose lists the unicity pass rebuilds (so a list there is never Go's nil slice). */
export const UNIQUE_SEQUENCE_PATHS: readonly TreePath[] = UNIQUE_SEQUENCES.map(([path]) => path);

function unique(value: unknown, path: TreePath, indexers: PatternCursor<Indexer>): unknown {
  if (indexers.isDeadEnd) return value;
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) value[key] = unique(item, nextPath(path, key), indexers.child(key));
    return value;
  }
  if (Array.isArray(value)) {
    const indexer = indexers.value;
    if (!indexer) return value;
    const out: unknown[] = [];
    const seen = new Map<string, number>();
    value.forEach((entry, index) => {
      const key = indexer(entry, nextPath(path, `[${index}]`));
      const previous = seen.get(key);
      if (previous !== undefined) out[previous] = entry;
      else {
        seen.set(key, out.length);
        out.push(entry);
      }
    });
    return out;
  }
  return value;
}
