import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import type { Project } from '../model/project.js';
import { compareKeys } from '../model/go-format.js';
import { FILE_OBJECT_FIELDS, MODEL_FIELDS, NESTED_EXTENSIONS, NETWORK_FIELDS, SERVICE_FIELDS, sortDeep, sortMaps, VOLUME_FIELDS } from '../model/decode.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { UNIQUE_SEQUENCE_PATHS } from '../merge/unicity.js';
import { PatternCursor } from '../tree-path.js';
import { compareYamlKeys, mapKeys, PlainScalar, toGoYaml } from './go-yaml.js';

function withoutExtensions(resource: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !key.startsWith('x-')));
}

/** Known fields in order, then `x-*` fields sorted (Go writes an inline map's keys sorted, last). */
function extensionsLast(resource: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const extensions: string[] = [];
  for (const [key, value] of Object.entries(resource)) {
    if (key.startsWith('x-')) extensions.push(key);
    else out[key] = value;
  }
  for (const key of extensions.sort(compareYamlKeys)) out[key] = resource[key];
  return out;
}

function sortedByKey<T>(record: Record<string, T>, map: (value: T) => unknown, compare = compareKeys): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort(compare)) setEntry(out, key, map(record[key] as T));
  return out;
}

/** A YAML section: resources sorted by name, each with its maps in go-yaml's key order. */
function yamlSection(
  resources: Record<string, Record<string, unknown>>,
  fields: Parameters<typeof sortMaps>[1],
  map: (resource: Record<string, unknown>) => Record<string, unknown> = (resource) => resource,
): Record<string, unknown> {
  return sortedByKey(resources, (resource) => sortMaps(extensionsLast(map(resource)), fields, compareYamlKeys), compareYamlKeys);
}

/** A secret's content is never printed; a config's only when it does not come from a variable. */
function secretDocument(secret: Record<string, unknown>): Record<string, unknown> {
  const clean = { ...secret };
  delete clean.content;
  return clean;
}

function configDocument(config: Record<string, unknown>): Record<string, unknown> {
  const clean = { ...config };
  if (clean.environment !== undefined) delete clean.content;
  return clean;
}

/** The float nearest a Go float32's shortest decimal digits (what Go prints for it). */
function float32Digits(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return single;
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(single.toPrecision(digits));
    if (Math.fround(shortest) === single) return shortest;
  }
  return Number(single.toPrecision(9));
}

/** go-yaml's float32: strconv's 'g' with the shortest digits, an exponent below 1e-4 and from 1e6. */
function yamlFloat32(value: number): unknown {
  const shortest = float32Digits(value);
  if (shortest === 0 || !Number.isFinite(shortest)) return shortest;
  const [mantissa = '', power = '0'] = shortest.toExponential().split('e');
  const exponent = Number(power);
  if (exponent >= -4 && exponent < 6) return new PlainScalar(String(shortest));
  return new PlainScalar(`${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`);
}

/**
 * Compose's float32 fields (`cpus`, `cpu_percent`, the deploy resources' `cpus`, update and
 * rollback `max_failure_ratio`): a value keeps a float32's precision (0.3333333333 is printed
 * 0.33333334) and YAML writes it as a float whatever was written (`cpus: 1000000` is `1e+06`).
 */
function withFloat32Fields(service: Record<string, unknown>, format: (value: number) => unknown): Record<string, unknown> {
  const convert = (holder: Record<string, unknown>, key: string): Record<string, unknown> => {
    const value = holder[key];
    return typeof value === 'number' ? { ...holder, [key]: format(value) } : holder;
  };
  let out = convert(convert(service, 'cpus'), 'cpu_percent');
  const deploy = out.deploy;
  if (!isPlainObject(deploy)) return out;
  let next: Record<string, unknown> = { ...deploy };
  if (isPlainObject(next.resources)) {
    const resources: Record<string, unknown> = { ...next.resources };
    for (const section of ['limits', 'reservations']) {
      const limits = resources[section];
      if (isPlainObject(limits)) resources[section] = convert(limits, 'cpus');
    }
    next.resources = resources;
  }
  for (const section of ['update_config', 'rollback_config']) {
    const config = next[section];
    if (isPlainObject(config)) next = { ...next, [section]: convert(config, 'max_failure_ratio') };
  }
  out = { ...out, deploy: next };
  return out;
}

/** Compose's WeightDevice and ThrottleDevice carry no JSON tags: JSON names their fields like Go. */
function jsonBlkio(service: Record<string, unknown>): Record<string, unknown> {
  const blkio = service.blkio_config;
  if (!isPlainObject(blkio)) return service;
  const rename = (entry: unknown): unknown => {
    if (!isPlainObject(entry)) return entry;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) out[key.charAt(0).toUpperCase() + key.slice(1)] = value;
    return out;
  };
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(blkio)) converted[key] = Array.isArray(value) ? value.map(rename) : value;
  return { ...service, blkio_config: converted };
}

/**
 * The document `docker compose config --format json` prints for a project: services and used
 * resources without their `x-*` fields, top-level `x-*` fields kept, secret contents never
 * printed, no `models` section (Compose's JSON leaves it out).
 */
export function projectDocument(project: Project): Record<string, unknown> {
  const document: Record<string, unknown> = {
    name: project.name,
    services: sortedByKey(project.services, (service) => jsonBlkio(withFloat32Fields(withoutExtensions(service), float32Digits))),
  };
  if (Object.keys(project.networks).length > 0) document.networks = sortedByKey(project.networks, withoutExtensions);
  if (Object.keys(project.volumes).length > 0) document.volumes = sortedByKey(project.volumes, withoutExtensions);
  if (Object.keys(project.secrets).length > 0) document.secrets = sortedByKey(project.secrets, (secret) => secretDocument(withoutExtensions(secret)));
  if (Object.keys(project.configs).length > 0) document.configs = sortedByKey(project.configs, (config) => configDocument(withoutExtensions(config)));
  for (const [key, value] of Object.entries(project.extensions)) document[key] = sortDeep(jsonNilLists(value, NO_LIST_KEPT));
  return sortedByKey(document, (value) => value);
}

/** Docker Compose escapes every `$` of its output as `$$`, so the output can be loaded again. */
function escapeDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}

/** JSON.stringify(value, null, 2), with maps' keys in Go's order (see mapKeys). */
function indentedJson(value: unknown, indent: string): string | undefined {
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return indentedJson((value as { toJSON: () => unknown }).toJSON(), indent);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${indentedJson(item, inner) ?? 'null'}`).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'number') return jsonNumber(value);
  if (!isPlainObject(value)) return JSON.stringify(value);
  const parts: string[] = [];
  for (const key of mapKeys(value, compareKeys)) {
    const text = indentedJson(value[key], inner);
    if (text !== undefined) parts.push(`${inner}${JSON.stringify(key)}: ${text}`);
  }
  return parts.length === 0 ? '{}' : `{\n${parts.join(',\n')}\n${indent}}`;
}

/**
 * A number as Go's encoding/json writes a float64: `-0` keeps its sign, and an infinity or NaN
 * (`.inf` in an `x-*` field) fails the whole output, with Go's message.
 */
function jsonNumber(value: number): string {
  if (Number.isNaN(value)) throw unsupported('NaN');
  if (!Number.isFinite(value)) throw unsupported(value > 0 ? '+Inf' : '-Inf');
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function unsupported(text: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.UNPRINTABLE, `json: unsupported value: ${text}`);
}

/** JSON like Go's encoding/json: HTML-sensitive characters escaped. */
function goJson(value: unknown): string {
  return (indentedJson(value, '') ?? '')
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** `docker compose config --format json` for a project (like Compose, without a final newline). */
export function toComposeJson(project: Project): string {
  return escapeDollars(goJson(projectDocument(project)));
}

function isEmptyMapping(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** A develop.watch exec hook with nothing set is a Go zero value: YAML leaves it out. */
function isZeroHook(value: unknown): boolean {
  return isPlainObject(value) && !(NESTED_EXTENSIONS in value) && Object.entries(value).every(([key, item]) => key === 'command' && item === null);
}

function yamlHook(hook: unknown): unknown {
  if (!isPlainObject(hook)) return hook;
  const clean = { ...hook };
  if (clean.command === null) delete clean.command;
  return clean;
}

/** A service as Compose's YAML prints it: Go zero values left out, ulimits with soft and hard. */
function yamlService(service: Record<string, unknown>): Record<string, unknown> {
  const clean: Record<string, unknown> = { ...service };
  if (clean.command === null) delete clean.command;
  if (clean.entrypoint === null) delete clean.entrypoint;
  const deploy = clean.deploy;
  if (isPlainObject(deploy)) {
    const trimmed = { ...deploy };
    for (const key of ['resources', 'placement']) if (isEmptyMapping(trimmed[key])) delete trimmed[key];
    clean.deploy = trimmed;
  }
  const develop = clean.develop;
  if (isPlainObject(develop) && Array.isArray(develop.watch)) {
    clean.develop = {
      ...develop,
      watch: develop.watch.map((rule: unknown) => {
        if (!isPlainObject(rule)) return rule;
        const out = { ...rule };
        if (isZeroHook(out.exec)) delete out.exec;
        else out.exec = yamlHook(out.exec);
        return out;
      }),
    };
  }
  for (const key of ['post_start', 'pre_stop']) {
    if (Array.isArray(clean[key])) clean[key] = clean[key].map(yamlHook);
  }
  for (const [key, nested] of [['ulimits', clean.ulimits], ['build', clean.build]] as const) {
    if (key === 'ulimits' && isPlainObject(nested)) clean.ulimits = yamlUlimits(nested);
    if (key === 'build' && isPlainObject(nested) && isPlainObject(nested.ulimits)) clean.build = { ...nested, ulimits: yamlUlimits(nested.ulimits) };
  }
  return clean;
}

function yamlUlimits(ulimits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, limit] of Object.entries(ulimits)) {
    setEntry(out, name, isPlainObject(limit) ? { soft: limit.soft ?? 0, hard: limit.hard ?? 0 } : limit);
  }
  return out;
}

/**
 * The YAML document: unlike JSON, Compose's YAML keeps `x-*` fields inside resources (inline
 * extensions), leaves out unset command/entrypoint and empty value structs (ipam, resources,
 * placement, a watch rule's exec), and prints `models`; top-level keys in Compose's field order.
 */
function yamlDocument(project: Project): Record<string, unknown> {
  const document: Record<string, unknown> = { name: project.name };
  const services = yamlSection(project.services, SERVICE_FIELDS, yamlService);
  // After sorting, which would take a PlainScalar for a mapping.
  for (const name of Object.keys(services)) setEntry(services, name, withFloat32Fields(services[name] as Record<string, unknown>, yamlFloat32));
  document.services = services;
  if (Object.keys(project.networks).length > 0) {
    document.networks = yamlSection(project.networks, NETWORK_FIELDS, (network) => {
      const clean = { ...network };
      if (isEmptyMapping(clean.ipam)) delete clean.ipam;
      return clean;
    });
  }
  if (Object.keys(project.volumes).length > 0) document.volumes = yamlSection(project.volumes, VOLUME_FIELDS);
  if (Object.keys(project.secrets).length > 0) document.secrets = yamlSection(project.secrets, FILE_OBJECT_FIELDS, secretDocument);
  if (Object.keys(project.configs).length > 0) document.configs = yamlSection(project.configs, FILE_OBJECT_FIELDS, configDocument);
  if (project.models && Object.keys(project.models).length > 0) document.models = yamlSection(project.models, MODEL_FIELDS);
  for (const key of Object.keys(project.extensions).sort(compareYamlKeys)) document[key] = sortDeep(project.extensions[key], compareYamlKeys);
  return document;
}

/** `docker compose config` (YAML) for a project. */
export function toComposeYaml(project: Project): string {
  return escapeDollars(toGoYaml(yamlDocument(project)));
}

/**
 * Empty lists as encoding/json prints Go's nil slices: `null`. compose-go's OmitEmpty rebuilds
 * every list of the loaded model, so an empty one is nil; the unicity pass after it makes fresh,
 * empty (`[]`) lists again at the paths it keys, but normalization turns `environment` and
 * `build.args` back into nil. go-yaml prints both as `[]`, so only JSON needs this.
 */
function jsonNilLists(value: unknown, place: PatternCursor<true>): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) return place.value ? value : null;
    const items = place.child('[]');
    return value.map((item) => jsonNilLists(item, items));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setEntry(out, key, jsonNilLists(item, place.child(key)));
  return out;
}

/** Top-level `x-*` values: no list in them is kept from being nil. */
const NO_LIST_KEPT = PatternCursor.root<true>([]);

/** The raw model's lists that stay `[]` when empty: those the unicity pass rebuilt last. */
const RAW_KEPT_LISTS = PatternCursor.root<true>(
  UNIQUE_SEQUENCE_PATHS.filter((path) => path !== 'services.*.environment' && path !== 'services.*.build.args').map((path) => [path, true] as const),
);

/** A raw model (what `config --no-interpolate` prints) as JSON or YAML, keys sorted like Go maps. */
export function formatRawModel(model: Record<string, unknown>, format: 'json' | 'yaml'): string {
  if (format === 'json') return goJson(sortDeep(jsonNilLists(model, RAW_KEPT_LISTS)));
  return toGoYaml(sortDeep(model, compareYamlKeys));
}
