import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { compareKeys, goFormat } from './go-format.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { parseGoFloat, parseGoInt } from './go-strconv.js';
import { formatDuration, parseBytes, parseDuration, splitShellWords } from './units.js';
import { toBoolean } from '../interpolation/interpolate.js';

/**
 * How Compose binds each field of the canonical model to its Go types and prints it back:
 * which fields are dropped when empty (Go `omitempty`), which are always printed, and how values
 * are converted (durations, byte sizes, shell words, key=value lists ...). A field not listed here
 * is passed through unchanged.
 */
type Kind =
  | { kind: 'string' } // omitted when ""
  | { kind: 'bool' } // omitted when false
  | { kind: 'number'; unsigned?: 'uint16' | 'uint32' | 'uint64'; integer?: boolean } // omitted when 0; unsigned: the Go type that refuses a negative value; integer: a Go integer type (unsigned ones are)
  | { kind: 'pointer'; of: Kind } // printed whenever set, even to a zero value
  | { kind: 'duration' } // omitted when zero
  | { kind: 'bytes' } // printed as a string of bytes, omitted when 0
  | { kind: 'fileMode' }
  | { kind: 'stringList' } // a string or a list of strings
  | { kind: 'stringOrNumberList' }
  | { kind: 'list'; of: Kind }
  | { kind: 'map'; of: Kind } // map of named entries; a null entry stays null
  | { kind: 'value'; of: Kind } // a Go field without omitempty: printed always, its zero value when unset
  | { kind: 'struct'; fields: Fields; always?: boolean; noExtensions?: boolean } // always: a Go value struct, printed even when empty
  | { kind: 'mapping' } // map[string]string from a mapping or `k=v` list
  | { kind: 'mappingWithEquals' } // like mapping, but `k` without value stays null
  | { kind: 'stringMap' } // a plain Go map[string]string: text and integers only, from a mapping
  | { kind: 'labels' }
  | { kind: 'hosts' }
  | { kind: 'command' } // printed even when null
  | { kind: 'healthTest' }
  | { kind: 'ulimit' }
  | { kind: 'ssh' } // printed as a list: `id`, or `id: path`
  | { kind: 'deviceCount' } // `all` is -1
  | { kind: 'multiOptions' } // map of lists of strings (a scalar becomes a one-item list)
  | { kind: 'any' }
  | { kind: 'dropped' }; // in the schema, but no field of Compose's Go struct: never printed

export type Fields = Record<string, Kind>;

const string: Kind = { kind: 'string' };
const bool: Kind = { kind: 'bool' };
/** A Go float32 or float64 field. */
const number: Kind = { kind: 'number' };
/** A Go int or int64 field. */
const integer: Kind = { kind: 'number', integer: true };
const uint64: Kind = { kind: 'number', unsigned: 'uint64', integer: true };
const uint32: Kind = { kind: 'number', unsigned: 'uint32', integer: true };
const uint16: Kind = { kind: 'number', unsigned: 'uint16', integer: true };
const duration: Kind = { kind: 'duration' };
const bytes: Kind = { kind: 'bytes' };
const stringList: Kind = { kind: 'stringList' };
const mapping: Kind = { kind: 'mapping' };
const mappingWithEquals: Kind = { kind: 'mappingWithEquals' };
const labels: Kind = { kind: 'labels' };
const any: Kind = { kind: 'any' };
const pointer = (of: Kind): Kind => ({ kind: 'pointer', of });
const list = (of: Kind): Kind => ({ kind: 'list', of });
const map = (of: Kind): Kind => ({ kind: 'map', of });
const struct = (fields: Fields, always = false): Kind => ({ kind: 'struct', fields, always });
/** A Go struct without an `Extensions` field: its `x-*` keys are dropped, in YAML too. */
const plainStruct = (fields: Fields): Kind => ({ kind: 'struct', fields, noExtensions: true });

/**
 * The `x-*` fields of a nested struct. Go keeps them in an inline map that YAML prints (after the
 * struct's fields, sorted) and JSON leaves out; a symbol key is invisible to JSON.stringify and
 * Object.entries, and travels with object spreads.
 */
export const NESTED_EXTENSIONS = Symbol('x-fields');

const ulimits = map({ kind: 'ulimit' });
const fileReference = struct({ source: string, target: string, uid: string, gid: string, mode: pointer({ kind: 'fileMode' }) });
const deviceRequest = plainStruct({ capabilities: list(string), driver: string, count: { kind: 'deviceCount' }, device_ids: list(string), options: mapping });
const resource = struct({
  cpus: { kind: 'number' },
  memory: bytes,
  pids: integer,
  devices: list(deviceRequest),
  generic_resources: list(struct({ discrete_resource_spec: struct({ kind: { kind: 'value', of: string }, value: { kind: 'value', of: integer } }) })),
});
const updateConfig = struct({
  parallelism: pointer(uint64),
  delay: duration,
  failure_action: string,
  monitor: duration,
  max_failure_ratio: number,
  order: string,
});
const hookFields: Fields = { command: { kind: 'command' }, user: string, privileged: bool, working_dir: string, environment: mappingWithEquals };
const hook = struct(hookFields);
// Compose's WeightDevice and ThrottleDevice have no JSON tags: their JSON keys are the Go field
// names (`Path`, `Rate`, `Weight`), their YAML keys the lower-cased names.
const throttle = list(struct({ path: string, rate: bytes }));

const BUILD: Fields = {
  context: string,
  dockerfile: string,
  dockerfile_inline: string,
  entitlements: list(string),
  args: mappingWithEquals,
  provenance: string,
  sbom: string,
  ssh: { kind: 'ssh' },
  labels,
  cache_from: stringList,
  cache_to: stringList,
  no_cache: bool,
  additional_contexts: mapping,
  pull: bool,
  extra_hosts: { kind: 'hosts' },
  isolation: string,
  network: string,
  target: string,
  secrets: list(fileReference),
  shm_size: bytes,
  tags: stringList,
  ulimits,
  platforms: stringList,
  privileged: bool,
};

/** Fields of a service, in Compose's declaration order. */
export const SERVICE_FIELDS: Fields = {
  profiles: list(string),
  annotations: mapping,
  attach: pointer(bool),
  build: struct(BUILD),
  develop: struct({
    watch: list(
      struct({
        path: string,
        action: string,
        target: string,
        // A value struct in Go: always printed in JSON, so a rule without exec shows
        // `"exec": {"command": null}`.
        exec: struct(hookFields, true),
        include: stringList,
        ignore: stringList,
        initial_sync: bool,
      }),
    ),
  }),
  blkio_config: struct({
    weight: uint16,
    weight_device: list(struct({ path: string, weight: uint16 })),
    device_read_bps: throttle,
    device_read_iops: throttle,
    device_write_bps: throttle,
    device_write_iops: throttle,
  }),
  cap_add: list(string),
  cap_drop: list(string),
  cgroup_parent: string,
  cgroup: string,
  cpu_count: integer,
  cpu_percent: number,
  cpu_period: integer,
  cpu_quota: integer,
  cpu_rt_period: integer,
  cpu_rt_runtime: integer,
  cpus: number,
  cpuset: string,
  cpu_shares: integer,
  command: { kind: 'command' },
  configs: list(fileReference),
  container_name: string,
  credential_spec: struct({ config: string, file: string, registry: string }),
  depends_on: map(struct({ condition: string, restart: bool, required: { kind: 'pointer', of: bool } })),
  deploy: struct({
    mode: string,
    replicas: pointer(integer),
    labels,
    update_config: updateConfig,
    rollback_config: updateConfig,
    resources: struct({ limits: resource, reservations: resource }, true),
    restart_policy: struct({ condition: string, delay: pointer(duration), max_attempts: pointer(uint64), window: pointer(duration) }),
    placement: struct({ constraints: list(string), preferences: list(struct({ spread: string })), max_replicas_per_node: uint64 }, true),
    endpoint_mode: string,
  }),
  device_cgroup_rules: list(string),
  devices: list(struct({ source: string, target: string, permissions: string })),
  dns: stringList,
  dns_opt: list(string),
  dns_search: stringList,
  dockerfile: string,
  domainname: string,
  entrypoint: { kind: 'command' },
  provider: struct({ type: string, options: { kind: 'multiOptions' } }),
  environment: mappingWithEquals,
  env_file: any,
  expose: { kind: 'stringOrNumberList' },
  extends: struct({ file: string, service: string }),
  external_links: list(string),
  extra_hosts: { kind: 'hosts' },
  group_add: { kind: 'stringOrNumberList' },
  gpus: list(deviceRequest),
  hostname: string,
  healthcheck: struct({
    test: { kind: 'healthTest' },
    timeout: pointer(duration),
    interval: pointer(duration),
    retries: pointer(uint64),
    start_period: pointer(duration),
    start_interval: pointer(duration),
    disable: bool,
  }),
  image: string,
  init: pointer(bool),
  ipc: string,
  isolation: string,
  labels,
  label_file: stringList,
  links: list(string),
  logging: struct({ driver: string, options: mapping }),
  log_driver: string,
  log_opt: mapping,
  mem_limit: bytes,
  mem_reservation: bytes,
  memswap_limit: bytes,
  mem_swappiness: bytes,
  mac_address: string,
  models: map(struct({ endpoint_var: string, model_var: string })),
  net: string,
  network_mode: string,
  networks: map(
    struct({
      aliases: list(string),
      driver_opts: mapping,
      gw_priority: integer,
      interface_name: string,
      ipv4_address: string,
      ipv6_address: string,
      link_local_ips: list(string),
      mac_address: string,
      priority: integer,
    }),
  ),
  oom_kill_disable: bool,
  oom_score_adj: integer,
  pid: string,
  pids_limit: integer,
  platform: string,
  ports: list(
    struct({ name: string, mode: string, host_ip: string, target: uint32, published: string, protocol: string, app_protocol: string }),
  ),
  privileged: bool,
  pull_policy: string,
  // compose-go v2.9.1's schema accepts it, but its ServiceConfig has no such field.
  pull_refresh_after: { kind: 'dropped' },
  read_only: bool,
  restart: string,
  runtime: string,
  scale: pointer(integer),
  secrets: list(fileReference),
  security_opt: list(string),
  shm_size: bytes,
  stdin_open: bool,
  stop_grace_period: pointer(duration),
  stop_signal: string,
  storage_opt: { kind: 'stringMap' },
  sysctls: mapping,
  tmpfs: stringList,
  tty: bool,
  ulimits,
  use_api_socket: bool,
  user: string,
  userns_mode: string,
  uts: string,
  volume_driver: string,
  volumes: list(
    struct({
      type: string,
      source: string,
      target: string,
      read_only: bool,
      consistency: string,
      bind: struct({ selinux: string, propagation: string, create_host_path: bool, recursive: string }),
      volume: struct({ labels: mapping, nocopy: bool, subpath: string }),
      tmpfs: struct({ size: bytes, mode: uint32 }),
      image: struct({ subpath: string }),
    }),
  ),
  volumes_from: list(string),
  working_dir: string,
  post_start: list(hook),
  pre_stop: list(hook),
};

export const NETWORK_FIELDS: Fields = {
  name: string,
  driver: string,
  driver_opts: mapping,
  ipam: struct(
    {
      driver: string,
      config: list(plainStruct({ subnet: string, gateway: string, ip_range: string, aux_addresses: mapping })),
      // Allowed by the schema, but Compose's IPAMConfig has no field for it: never printed.
      options: { kind: 'dropped' },
    },
    true,
  ),
  external: bool,
  internal: bool,
  attachable: bool,
  labels,
  enable_ipv4: pointer(bool),
  enable_ipv6: pointer(bool),
};

export const VOLUME_FIELDS: Fields = { name: string, driver: string, driver_opts: mapping, external: bool, labels };

export const FILE_OBJECT_FIELDS: Fields = {
  name: string,
  file: string,
  environment: string,
  content: string,
  external: bool,
  labels,
  driver: string,
  driver_opts: mapping,
  template_driver: string,
};

export const MODEL_FIELDS: Fields = { name: string, model: string, context_size: integer, runtime_flags: list(string) };

/** A decoded resource: its known fields in output form, plus its `x-*` extensions. */
export interface Decoded {
  value: Record<string, unknown>;
  extensions: Record<string, unknown>;
}

/**
 * Decodes one canonical resource (a service, network ...) into the form `config` prints:
 * conversions applied, Go-empty fields dropped, `x-*` fields set aside as extensions.
 */
export function decodeResource(raw: Record<string, unknown>, fields: Fields, where: string): Decoded {
  const value: Record<string, unknown> = {};
  const extensions: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(raw)) {
    if (key.startsWith('x-')) extensions[key] = item;
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (!(key in raw)) {
      if (kind.kind === 'command') value[key] = null;
      else if (kind.kind === 'struct' && kind.always) value[key] = decodeStruct({}, kind.fields, `${where}.${key}`);
      continue;
    }
    const decoded = decodeValue(raw[key], kind, `${where}.${key}`);
    if (decoded !== OMIT) value[key] = decoded;
  }
  for (const [key, item] of Object.entries(raw)) {
    if (!(key in fields) && !key.startsWith('x-')) value[key] = item;
  }
  return { value, extensions };
}

const OMIT = Symbol('omit');

function fail(where: string, message: string): never {
  throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `${where}: ${message}`, { modelPath: where });
}

function decodeStruct(raw: unknown, fields: Fields, where: string, keepExtensions = true): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (!isPlainObject(raw)) fail(where, `expected a mapping, got ${JSON.stringify(raw)}`);
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(fields)) {
    if (!(key in raw)) {
      if (kind.kind === 'struct' && kind.always) out[key] = decodeStruct({}, kind.fields, `${where}.${key}`);
      else if (kind.kind === 'command') out[key] = null;
      else if (kind.kind === 'value') out[key] = goZero(kind.of);
      continue;
    }
    const decoded = decodeValue(raw[key], kind, `${where}.${key}`);
    if (decoded !== OMIT) out[key] = decoded;
  }
  const extensions: Record<string, unknown> = {};
  // A Go struct without an inline map (a device request, an IPAM pool) drops every key it has no
  // field for: the schema lets any key through in `gpus` items, and Compose prints none of them.
  for (const [key, item] of Object.entries(raw)) {
    if (key.startsWith('x-')) extensions[key] = item;
    else if (!(key in fields) && keepExtensions) out[key] = item;
  }
  if (keepExtensions && Object.keys(extensions).length > 0) (out as Record<symbol, unknown>)[NESTED_EXTENSIONS] = extensions;
  return out;
}

function decodeValue(raw: unknown, kind: Kind, where: string): unknown {
  switch (kind.kind) {
    case 'string': {
      if (raw === null || raw === undefined || raw === '') return OMIT;
      return typeof raw === 'string' ? raw : goFormat(raw);
    }
    case 'bool':
      return decodeBoolean(raw, where) ? true : OMIT;
    case 'number': {
      const value = goNumber(toNumber(raw, kind, where), kind, where);
      return value === 0 ? OMIT : value;
    }
    case 'value': {
      const decoded = raw === null || raw === undefined ? OMIT : decodeValue(raw, kind.of, where);
      return decoded === OMIT ? goZero(kind.of) : decoded;
    }
    case 'pointer': {
      if (raw === null || raw === undefined) return OMIT;
      if (kind.of.kind === 'bool') return decodeBoolean(raw, where);
      if (kind.of.kind === 'number') return goNumber(toNumber(raw, kind.of, where), kind.of, where);
      if (kind.of.kind === 'duration') return formatDuration(toDuration(raw, where));
      if (kind.of.kind === 'fileMode') return formatFileMode(raw, where);
      const value = decodeValue(raw, kind.of, where);
      return value === OMIT ? OMIT : value;
    }
    case 'duration': {
      if (raw === null || raw === undefined) return OMIT;
      const nanoseconds = toDuration(raw, where);
      return nanoseconds === 0 ? OMIT : formatDuration(nanoseconds);
    }
    case 'bytes': {
      if (raw === null || raw === undefined) return OMIT;
      // compose-go's UnitBytes takes an int or a string and leaves a float (`mem_limit: 1.5`) at 0.
      if (typeof raw === 'number' && !Number.isInteger(raw)) return OMIT;
      let size: number;
      try {
        size = parseBytes(raw);
      } catch (error) {
        return fail(where, (error as Error).message);
      }
      return size === 0 ? OMIT : String(size);
    }
    case 'fileMode':
      return formatFileMode(raw, where);
    case 'stringList': {
      if (raw === null || raw === undefined) return OMIT;
      const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.map((item) => String(item)) : fail(where, 'expected a string or a list');
      return values.length === 0 ? OMIT : values;
    }
    case 'stringOrNumberList': {
      if (raw === null || raw === undefined) return OMIT;
      const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.map((item) => goFormat(item)) : fail(where, 'expected a list');
      return values.length === 0 ? OMIT : values;
    }
    case 'list': {
      if (raw === null || raw === undefined) return OMIT;
      if (!Array.isArray(raw)) return fail(where, 'expected a list');
      if (raw.length === 0) return OMIT;
      return raw.map((item, index) => {
        const decoded = decodeValue(item, kind.of, `${where}[${index}]`);
        return decoded === OMIT ? zeroOf(kind.of) : decoded;
      });
    }
    case 'map': {
      if (raw === null || raw === undefined) return OMIT;
      if (!isPlainObject(raw)) return fail(where, 'expected a mapping');
      const entries = Object.entries(raw).sort(([a], [b]) => compareKeys(a, b));
      if (entries.length === 0) return OMIT;
      const out: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        if (item === null || item === undefined) setEntry(out, key, null);
        else {
          const decoded = decodeValue(item, kind.of, `${where}.${key}`);
          setEntry(out, key, decoded === OMIT ? zeroOf(kind.of) : decoded);
        }
      }
      return out;
    }
    case 'struct': {
      if ((raw === null || raw === undefined) && !kind.always) return OMIT;
      return decodeStruct(raw, kind.fields, where, !kind.noExtensions);
    }
    case 'mapping': {
      const out = decodeKeyValues(raw, where, (value) => (value === null || value === undefined ? '' : goFormat(value)));
      return out === undefined || Object.keys(out).length === 0 ? OMIT : out;
    }
    case 'stringMap': {
      if (raw !== null && raw !== undefined && !isPlainObject(raw)) return fail(where, 'expected a mapping');
      const out = decodeKeyValues(raw, where, (value) => stringMapValue(value, where));
      return out === undefined || Object.keys(out).length === 0 ? OMIT : out;
    }
    case 'mappingWithEquals': {
      const out = decodeKeyValues(raw, where, (value) => (value === null || value === undefined ? null : goFormat(value)), true);
      return out === undefined || Object.keys(out).length === 0 ? OMIT : out;
    }
    case 'labels': {
      const out = decodeKeyValues(raw, where, (value) => (value === null || value === undefined ? '' : goFormat(value)));
      return out === undefined || Object.keys(out).length === 0 ? OMIT : out;
    }
    case 'hosts':
      return decodeHosts(raw, where);
    case 'command': {
      if (raw === null || raw === undefined) return null;
      if (typeof raw === 'string') {
        try {
          return splitShellWords(raw);
        } catch (error) {
          return fail(where, (error as Error).message);
        }
      }
      if (Array.isArray(raw)) return raw.map((item) => (typeof item === 'string' ? item : goFormat(item)));
      return fail(where, 'expected a string or a list');
    }
    case 'healthTest': {
      if (raw === null || raw === undefined) return OMIT;
      if (typeof raw === 'string') return ['CMD-SHELL', raw];
      if (Array.isArray(raw)) return raw.length === 0 ? OMIT : raw.map((item) => String(item));
      return fail(where, 'unexpected value type for healthcheck.test');
    }
    case 'ulimit': {
      // A single 0 is Go's zero struct: YAML prints its soft and hard limits (0), JSON nothing.
      if (typeof raw === 'number') return raw === 0 ? {} : raw;
      if (isPlainObject(raw)) {
        const out: Record<string, unknown> = {};
        if (typeof raw.soft === 'number' && raw.soft !== 0) out.soft = raw.soft;
        if (typeof raw.hard === 'number' && raw.hard !== 0) out.hard = raw.hard;
        return out;
      }
      return fail(where, 'unexpected value type for ulimit');
    }
    case 'ssh': {
      if (!isPlainObject(raw)) return OMIT;
      const keys = Object.entries(raw).map(([id, path]) => (path === null || path === undefined ? id : `${id}: ${goFormat(path)}`));
      return keys.length === 0 ? OMIT : keys;
    }
    case 'deviceCount': {
      if (raw === null || raw === undefined) return OMIT;
      let count: number;
      if (typeof raw === 'number' && Number.isInteger(raw)) count = raw;
      else if (typeof raw === 'string' && raw.toLowerCase() === 'all') count = -1;
      else if (typeof raw === 'string' && /^[-+]?[0-9]+$/.test(raw)) count = Number.parseInt(raw, 10);
      else return fail(where, `invalid value ${JSON.stringify(raw)}, the only value allowed is 'all' or a number`);
      return count === 0 ? OMIT : count;
    }
    case 'multiOptions': {
      if (raw === null || raw === undefined) return OMIT;
      if (!isPlainObject(raw)) return fail(where, 'invalid type for options');
      const out: Record<string, string[]> = {};
      for (const key of Object.keys(raw).sort()) {
        const value = raw[key];
        setEntry(out, key, Array.isArray(value) ? value.map((item) => goFormat(item)) : [goFormat(value)]);
      }
      return Object.keys(out).length === 0 ? OMIT : out;
    }
    case 'any':
      return raw === null || raw === undefined ? OMIT : raw;
    case 'dropped':
      return OMIT;
  }
}

type KeyOrder = (a: string, b: string) => number;

/** Every nested object sorted by `compare` (a generic value: Go's map[string]any). */
export function sortDeep(value: unknown, compare: KeyOrder = compareKeys): unknown {
  if (Array.isArray(value)) return value.map((item) => sortDeep(item, compare));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compare)) setEntry(out, key, sortDeep(value[key], compare));
  return out;
}

/**
 * Re-sorts the maps of a decoded resource with `compare`, following its field kinds: Go writes a
 * struct's fields in declaration order but a map's keys sorted (bytewise in JSON, go-yaml's own
 * order in YAML). Unknown and `x-*` fields are generic values, sorted all the way down.
 */
export function sortMaps(value: Record<string, unknown>, fields: Fields, compare: KeyOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const kind = fields[key];
    out[key] = kind ? sortByKind(item, kind, compare) : sortDeep(item, compare);
  }
  const extensions = (value as Record<symbol, unknown>)[NESTED_EXTENSIONS];
  if (isPlainObject(extensions)) for (const key of Object.keys(extensions).sort(compare)) out[key] = sortDeep(extensions[key], compare);
  return out;
}

function sortByKind(value: unknown, kind: Kind, compare: KeyOrder): unknown {
  if (value === null || value === undefined) return value;
  switch (kind.kind) {
    case 'pointer':
    case 'value':
      return sortByKind(value, kind.of, compare);
    case 'list':
      return Array.isArray(value) ? value.map((item) => sortByKind(item, kind.of, compare)) : value;
    case 'struct':
      return isPlainObject(value) ? sortMaps(value, kind.fields, compare) : value;
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort(compare)) setEntry(out, key, sortByKind(value[key], kind.of, compare));
      return out;
    }
    case 'mapping':
    case 'stringMap':
    case 'mappingWithEquals':
    case 'labels':
    case 'multiOptions':
    case 'any':
      return sortDeep(value, compare);
    default:
      return value;
  }
}

/** The same object with its keys sorted, as Go prints a map. */
export function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareKeys)) setEntry(out, key, record[key]);
  return out;
}

/**
 * The fields of a decoded resource in Compose's declaration order (what was added later, such as
 * an environment resolved from env files, moves back to its place); unknown fields keep their
 * order after the known ones.
 */
export function inDeclarationOrder(value: Record<string, unknown>, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) if (key in value) out[key] = value[key];
  for (const [key, item] of Object.entries(value)) if (!(key in out)) out[key] = item;
  return out;
}

/** The zero value Go prints for a scalar field without omitempty. */
function goZero(kind: Kind): unknown {
  if (kind.kind === 'number') return 0;
  if (kind.kind === 'string') return '';
  return zeroOf(kind);
}

function zeroOf(kind: Kind): unknown {
  if (kind.kind === 'struct') return {};
  if (kind.kind === 'string') return '';
  return null;
}

const UNSIGNED_BITS = { uint16: 16, uint32: 32, uint64: 64 } as const;

/**
 * A number as the Go field of `kind` holds it. A negative value for an unsigned field fails as
 * mapstructure fails it (`-1 overflows uint`). An integer field given a float keeps Go's
 * conversion of it, the whole part (`cpu_shares: 1.5` is 1, `0.5` is 0 and so left out), and a
 * 16- or 32-bit field keeps the low bits of what it is given (a blkio weight of 65536 is 0).
 * NaN, infinities and floats beyond 2^53 are left as they are: Go's conversion of them depends on
 * the processor (Compose on amd64 prints -9223372036854775808), and no real file holds them.
 */
function goNumber(value: number, kind: Extract<Kind, { kind: 'number' }>, where: string): number {
  if (kind.unsigned !== undefined && value < 0) {
    const shown = Number.isInteger(value) ? String(value) : value.toFixed(6);
    return fail(where, `cannot parse value as '${kind.unsigned}': ${shown} overflows uint`);
  }
  if (!kind.integer || !Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) return value;
  // `+ 0`: the whole part of -0.5 is -0, which Go's integers do not have.
  const whole = Math.trunc(value) + 0;
  const bits = kind.unsigned === undefined ? 64 : UNSIGNED_BITS[kind.unsigned];
  return bits < 53 ? whole % 2 ** bits : whole;
}

/** A Go bool field: compose-go's decoder casts a string (`"true"`, `"yes"`) with toBoolean. */
function decodeBoolean(raw: unknown, where: string): boolean {
  if (typeof raw !== 'string') return raw === true;
  try {
    return toBoolean(raw);
  } catch (error) {
    return fail(where, (error as Error).message);
  }
}

/**
 * The number a field of `kind` reads from `raw`. Text in a field Compose does not cast while
 * interpolating (a resource's `cpus` and `pids`) is read as Go's ParseFloat and ParseInt read it:
 * `" 3"` and `0x10` are no numbers, and a 16-bit field takes no text at all.
 */
function toNumber(raw: unknown, kind: Extract<Kind, { kind: 'number' }>, where: string): number {
  if (raw === null || raw === undefined) return 0;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && kind.unsigned === 'uint16') return fail(where, `expected type 'uint16', got unconvertible type 'string'`);
  if (typeof raw === 'string') {
    try {
      return kind.integer ? parseGoInt(raw) : parseGoFloat(raw);
    } catch (error) {
      return fail(where, (error as Error).message);
    }
  }
  if (typeof raw === 'boolean') return fail(where, `expected a number, got ${String(raw)}`);
  return fail(where, `expected a number, got ${JSON.stringify(raw)}`);
}

/**
 * A value of a plain Go `map[string]string` (`storage_opt`), which mapstructure fills from text
 * and integers only: a float or a boolean fails as it fails there.
 */
function stringMapValue(value: unknown, where: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  const goType = typeof value === 'number' ? 'float64' : typeof value === 'boolean' ? 'bool' : 'map[string]interface {}';
  return fail(where, `expected type 'string', got unconvertible type '${goType}'`);
}

function toDuration(raw: unknown, where: string): number {
  try {
    return parseDuration(goFormat(raw));
  } catch (error) {
    return fail(where, (error as Error).message);
  }
}

function formatFileMode(raw: unknown, where: string): string {
  let mode: number;
  if (typeof raw === 'number') mode = raw;
  else if (typeof raw === 'string' && /^[0-7]+$/.test(raw)) mode = Number.parseInt(raw, 8);
  else return fail(where, `unexpected value for mode: ${JSON.stringify(raw)}`);
  return `0${mode.toString(8)}`;
}

function decodeKeyValues(
  raw: unknown,
  where: string,
  convert: (value: unknown) => string | null,
  keepMissing = false,
): Record<string, string | null> | undefined {
  if (raw === null || raw === undefined) return undefined;
  const out: Record<string, string | null> = {};
  if (isPlainObject(raw)) {
    for (const [key, value] of Object.entries(raw)) setEntry(out, key, convert(value));
    return sortedKeys(out);
  }
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const text = goFormat(entry);
      const equals = text.indexOf('=');
      if (equals < 0) setEntry(out, text, keepMissing ? null : '');
      else {
        const key = text.slice(0, equals);
        if (keepMissing && /\s$/.test(key)) fail(where, `environment variable ${key} is declared with a trailing space`);
        setEntry(out, key, text.slice(equals + 1));
      }
    }
    return sortedKeys(out);
  }
  return fail(where, 'expected a mapping or a list of key=value');
}

function decodeHosts(raw: unknown, where: string): unknown {
  if (raw === null || raw === undefined) return OMIT;
  const hosts = new Map<string, string[]>();
  const add = (host: string, ips: string[]): void => {
    if (host === '' || /[:=]/.test(host)) fail(where, `bad host name '${host}'`);
    const cleaned = ips.map((ip) => (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip));
    hosts.set(host, [...(hosts.get(host) ?? []), ...cleaned]);
  };
  if (isPlainObject(raw)) {
    for (const [host, value] of Object.entries(raw)) {
      if (Array.isArray(value)) add(host, value.map((item) => goFormat(item)));
      else add(host, [value === null || value === undefined ? '' : goFormat(value)]);
    }
  } else if (Array.isArray(raw)) {
    for (const entry of raw) {
      const text = goFormat(entry);
      const separator = text.includes('=') ? '=' : text.includes(':') ? ':' : undefined;
      if (!separator) fail(where, `invalid additional host, missing IP: ${text}`);
      const at = text.indexOf(separator);
      add(text.slice(0, at), text.slice(at + 1).split(','));
    }
  } else fail(where, 'unexpected value type for extra_hosts');
  const out: string[] = [];
  for (const [host, ips] of hosts) for (const ip of ips) out.push(`${host}=${ip}`);
  out.sort();
  return out.length === 0 ? OMIT : out;
}
