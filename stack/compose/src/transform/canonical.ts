import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { goTypeName } from '../model/go-format.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { nextPath, pathToString, PatternCursor, type TreePath } from '../tree-path.js';
import { parsePortSpec, type PortMapping } from './port-spec.js';
import { parseVolumeSpec } from './volume-spec.js';

/** Rewrites the value at `path`; `place` is that path in the table, for walking on below it. */
type Transformer = (value: unknown, path: TreePath, place: PatternCursor<Transformer>) => unknown;

/**
 * Rewrites short syntaxes into Compose's canonical long forms (ports, volumes, depends_on,
 * env_file, build, networks as mapping ...), as Compose does after loading each file. Without
 * interpolation (`config --no-interpolate`) a short syntax holding `${VAR}` cannot be parsed yet:
 * like Compose, `keepUnparsable` then leaves such ports, volumes and devices as written.
 */
export function toCanonical(model: Record<string, unknown>, { keepUnparsable = false } = {}): Record<string, unknown> {
  return transform(model, '', keepUnparsable ? LENIENT_ROOT : STRICT_ROOT) as Record<string, unknown>;
}

const TRANSFORMERS: ReadonlyArray<readonly [TreePath, Transformer]> = [
  ['services.*', (value, path, place) => (isPlainObject(value) ? transformMapping(value, path, place) : value)],
  ['services.*.build.secrets.*', fileMount],
  ['services.*.build.provenance', stringOrText],
  ['services.*.build.sbom', stringOrText],
  ['services.*.build.additional_contexts', keyValueMapping],
  ['services.*.depends_on', dependsOn],
  ['services.*.env_file', envFile],
  ['services.*.label_file', stringOrList],
  ['services.*.extends', (value, path, place) => (typeof value === 'string' ? { service: value } : mappingOnly(value, path, place, 'extends'))],
  ['services.*.gpus', gpus],
  ['services.*.networks', namesToMapping],
  ['services.*.models', namesToMapping],
  ['services.*.volumes.*', volumeMount],
  ['services.*.dns', stringOrList],
  ['services.*.devices.*', deviceMapping],
  ['services.*.secrets.*', fileMount],
  ['services.*.configs.*', fileMount],
  ['services.*.ports', (value, path) => ports(value, path)],
  ['services.*.build', (value, path, place) => (typeof value === 'string' ? { context: value } : mappingOnly(value, path, place, 'build'))],
  ['services.*.build.ssh', ssh],
  ['services.*.ulimits.*', ulimit],
  ['services.*.build.ulimits.*', ulimit],
  ['services.*.develop.watch.*.ignore', stringOrList],
  ['services.*.develop.watch.*.include', stringOrList],
  ['volumes.*', maybeExternal],
  ['networks.*', maybeExternal],
  ['secrets.*', maybeExternal],
  ['configs.*', maybeExternal],
  ['include.*', (value, path) => (typeof value === 'string' ? { path: value } : mappingOnly(value, path, undefined, 'include'))],
];

/** The short syntaxes Compose keeps as written when it cannot parse them, and how. */
const KEPT_WHEN_UNPARSABLE: ReadonlyMap<TreePath, Transformer> = new Map<TreePath, Transformer>([
  // One bad entry keeps the whole list, since an entry may stand for several ports.
  ['services.*.ports', (value, path) => ports(value, path, true)],
  ['services.*.volumes.*', (value, path) => (typeof value === 'string' ? keepOnSyntaxError(() => volumeMount(value, path), value) : volumeMount(value, path))],
  ['services.*.devices.*', (value, path) => parseDeviceMapping(value, path, true)],
  // Uninterpolated, a ulimit is never cast from text: compose-go takes only ints and mappings.
  ['services.*.ulimits.*', (value, path) => (typeof value === 'string' ? rejectUlimit(path, value) : ulimit(value, path))],
  ['services.*.build.ulimits.*', (value, path) => (typeof value === 'string' ? rejectUlimit(path, value) : ulimit(value, path))],
]);

function rejectUlimit(path: TreePath, value: unknown): never {
  throw invalidType(path, 'ulimits', value);
}

function keepOnSyntaxError(parse: () => unknown, written: unknown): unknown {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ComposeError && error.code === COMPOSE_ERROR_CODES.INVALID_SYNTAX) return written;
    throw error;
  }
}

const STRICT_ROOT = PatternCursor.root(TRANSFORMERS);
const LENIENT_ROOT = PatternCursor.root(
  TRANSFORMERS.map(([path, transformer]) => [path, KEPT_WHEN_UNPARSABLE.get(path) ?? transformer] as const),
);

function transform(value: unknown, path: TreePath, place: PatternCursor<Transformer>): unknown {
  if (place.isDeadEnd) return value;
  const transformer = place.value;
  if (transformer) return transformer(value, path, place);
  return transformChildren(value, path, place);
}

function transformChildren(value: unknown, path: TreePath, place: PatternCursor<Transformer>): unknown {
  if (isPlainObject(value)) return transformMapping(value, path, place);
  if (Array.isArray(value)) {
    const itemPlace = place.child('[]');
    return value.map((item) => transform(item, nextPath(path, '[]'), itemPlace));
  }
  return value;
}

function transformMapping(value: Record<string, unknown>, path: TreePath, place: PatternCursor<Transformer>): Record<string, unknown> {
  for (const [key, item] of Object.entries(value)) value[key] = transform(item, nextPath(path, key), place.child(key));
  return value;
}

function stringOrList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

function stringOrText(value: unknown): unknown {
  return typeof value === 'string' ? value : String(value);
}

/**
 * Compose's canonical step refuses a value of a type it cannot rewrite. In a file that is
 * validated the schema has refused it already; a file loaded as an `extends` base is only
 * validated once merged, so for it this is the check (`ports: 80`, `build: 5` ...).
 */
function invalidType(path: TreePath, what: string, value: unknown): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}: invalid type ${goTypeName(value)} for ${what}`, {
    modelPath: path,
  });
}

/** A mapping walked on below (`place` given) or kept as it is; anything else refused. */
function mappingOnly(value: unknown, path: TreePath, place: PatternCursor<Transformer> | undefined, what: string): unknown {
  if (!isPlainObject(value)) throw invalidType(path, what, value);
  return place ? transformMapping(value, path, place) : value;
}

function gpus(value: unknown, path: TreePath, place: PatternCursor<Transformer>): unknown {
  if (typeof value === 'string') return [{ count: 'all' }];
  if (!Array.isArray(value)) throw invalidType(path, 'gpus', value);
  return transformChildren(value, path, place);
}

/** A ulimit is a mapping or an integer (a digit string is an integer beyond 2^53, or was cast from one). */
function ulimit(value: unknown, path: TreePath): unknown {
  if (isPlainObject(value) || Number.isSafeInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value))) return value;
  throw invalidType(path, 'ulimits', value);
}

function keyValueMapping(value: unknown, path: TreePath): unknown {
  if (isPlainObject(value)) return value;
  if (!Array.isArray(value)) throw invalidType(path, 'a mapping', value);
  const out: Record<string, unknown> = {};
  for (const entry of value) {
    const text = String(entry);
    const equals = text.indexOf('=');
    if (equals < 0) {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}: invalid value ${text}, expected key=value`, {
        modelPath: path,
      });
    }
    setEntry(out, text.slice(0, equals), text.slice(equals + 1));
  }
  return out;
}

function dependsOn(value: unknown, path: TreePath): unknown {
  if (Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const name of value) setEntry(out, String(name), { condition: 'service_started', required: true });
    return out;
  }
  if (!isPlainObject(value)) throw invalidType(path, 'depends_on', value);
  for (const [name, entry] of Object.entries(value)) {
    if (!isPlainObject(entry)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}.${name}: unsupported value`, { modelPath: path });
    }
    if (!('condition' in entry)) entry.condition = 'service_started';
    if (!('required' in entry)) entry.required = true;
  }
  return value;
}

function envFile(value: unknown, path: TreePath): unknown {
  const one = (entry: unknown): unknown => {
    if (typeof entry === 'string') return { path: entry, required: true };
    if (isPlainObject(entry)) {
      if (!('required' in entry)) entry.required = true;
      return entry;
    }
    return null;
  };
  if (typeof value === 'string') return [one(value)];
  if (Array.isArray(value)) return value.map(one);
  throw invalidType(path, 'env_file', value);
}

function namesToMapping(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name of value) setEntry(out, String(name), null);
  return out;
}

function volumeMount(value: unknown, path: TreePath): unknown {
  if (isPlainObject(value)) return value;
  if (typeof value !== 'string') throw invalidType(path, 'service volume mount', value);
  const mount = parseVolumeSpec(value);
  if (mount.target) mount.target = cleanPath(mount.target);
  return mount;
}

function deviceMapping(value: unknown, path: TreePath): unknown {
  return parseDeviceMapping(value, path, false);
}

function parseDeviceMapping(value: unknown, path: TreePath, lenient: boolean): unknown {
  if (isPlainObject(value)) return value;
  if (typeof value !== 'string') throw invalidType(path, 'device', value);
  const parts = value.split(':');
  if (parts.length > 3) {
    // Compose, when lenient, goes on with an empty source and target and the default permissions.
    if (lenient) return { source: '', target: '', permissions: 'rwm' };
    throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `confusing device mapping, please use long syntax: ${value}`, { modelPath: path });
  }
  const source = parts[0] ?? '';
  const target = parts[1] || source;
  return { source, target, permissions: parts[2] ?? 'rwm' };
}

function fileMount(value: unknown, path: TreePath): unknown {
  if (isPlainObject(value)) return value;
  if (typeof value === 'string') return { source: value };
  throw invalidType(path, 'file mount', value);
}

/**
 * Ports in long syntax. `keepWritten` (uninterpolated loads): a string compose-go cannot parse
 * keeps the whole list as written; an int it cannot parse, or an entry of another type, is still
 * an error.
 */
function ports(value: unknown, path: TreePath, keepWritten = false): unknown {
  if (!Array.isArray(value)) throw invalidType(path, 'port', value);
  const out: unknown[] = [];
  for (const entry of value) {
    // compose-go parses an int or a string; any other number (80.5) is a float64 it refuses.
    if (Number.isSafeInteger(entry) || typeof entry === 'string') {
      try {
        // compose-go encodes each mapping with `omitempty`, so a target 0 disappears (and the
        // mapping is then refused for lacking a target).
        for (const mapping of parsePortSpec(String(entry))) out.push(mapping.target === 0 ? withoutTarget(mapping) : mapping);
      } catch (error) {
        if (keepWritten && typeof entry === 'string' && error instanceof ComposeError) return value;
        if (error instanceof ComposeError) error.modelPath = path;
        throw error;
      }
    } else if (isPlainObject(entry)) out.push(entry);
    else throw invalidType(path, 'port', entry);
  }
  return out;
}

function withoutTarget(mapping: PortMapping): Omit<PortMapping, 'target'> {
  const { target: _zero, ...rest } = mapping;
  return rest;
}

function ssh(value: unknown, path: TreePath): unknown {
  if (isPlainObject(value)) return value;
  if (!Array.isArray(value)) throw invalidType(path, 'ssh', value);
  const out: Record<string, unknown> = {};
  for (const entry of value) {
    const text = String(entry);
    const equals = text.indexOf('=');
    if (equals < 0) {
      if (text !== 'default') throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `invalid ssh key ${JSON.stringify(text)}`);
      out[text] = null;
    } else setEntry(out, text.slice(0, equals), text.slice(equals + 1));
  }
  return out;
}

function maybeExternal(value: unknown, path: TreePath, place: PatternCursor<Transformer>): unknown {
  if (value === null || value === undefined) return null;
  if (!isPlainObject(value)) return value;
  const resource = transformMapping(value, path, place);
  const external = resource.external;
  if (isPlainObject(external)) {
    resource.external = true;
    if ('name' in external) {
      if ('name' in resource && resource.name !== external.name) {
        throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${pathToString(path)}: name and external.name conflict; only use name`, {
          modelPath: path,
        });
      }
      resource.name = external.name;
    }
  }
  return resource;
}

/** POSIX path.Clean. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

type DefaultSetter = (value: unknown, path: TreePath) => unknown;

const DEFAULTS: ReadonlyArray<readonly [TreePath, DefaultSetter]> = [
  [
    'services.*.build',
    (value) => {
      if (isPlainObject(value) && !('context' in value)) value.context = '.';
      return value;
    },
  ],
  [
    'services.*.secrets.*',
    (value) => {
      if (isPlainObject(value) && !('target' in value)) value.target = `/run/secrets/${String(value.source)}`;
      return value;
    },
  ],
  [
    'services.*.ports.*',
    (value) => {
      if (isPlainObject(value)) {
        if (!('protocol' in value)) value.protocol = 'tcp';
        if (!('mode' in value)) value.mode = 'ingress';
      }
      return value;
    },
  ],
  ['services.*.deploy.resources.reservations.devices.*', deviceRequestDefaults],
  ['services.*.gpus.*', deviceRequestDefaults],
];

function deviceRequestDefaults(value: unknown): unknown {
  if (isPlainObject(value) && !('count' in value) && !('device_ids' in value)) value.count = 'all';
  return value;
}

/** Sets Compose's default values on the merged model (build context, secret target, port mode). */
export function setDefaultValues(model: Record<string, unknown>): Record<string, unknown> {
  return setDefaults(model, '', PatternCursor.root(DEFAULTS)) as Record<string, unknown>;
}

function setDefaults(value: unknown, path: TreePath, setters: PatternCursor<DefaultSetter>): unknown {
  if (setters.isDeadEnd) return value;
  const setter = setters.value;
  if (setter) return setter(value, path);
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) value[key] = setDefaults(item, nextPath(path, key), setters.child(key));
  } else if (Array.isArray(value)) {
    const itemSetters = setters.child('[]');
    value.forEach((item, index) => {
      value[index] = setDefaults(item, nextPath(path, '[]'), itemSetters);
    });
  }
  return value;
}

/** Drops empty entries of `dns`, which Compose treats as unset. */
export function omitEmpty(model: Record<string, unknown>): Record<string, unknown> {
  const services = model.services;
  if (!isPlainObject(services)) return model;
  for (const service of Object.values(services)) {
    if (isPlainObject(service) && Array.isArray(service.dns)) {
      service.dns = service.dns.filter((entry) => entry !== null && entry !== '');
    }
  }
  return model;
}
