import { stringify } from 'yaml';
import type { Project } from '../model/project.js';
import { isPlainObject } from '../yaml/parse-yaml.js';

function withoutExtensions<T extends Record<string, unknown>>(resource: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([key]) => !key.startsWith('x-')));
}

function sortedByKey<T>(record: Record<string, T>, map: (value: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = map(record[key] as T);
  return out;
}

/**
 * The document `docker compose config` prints for a project: services and used resources
 * without their `x-*` fields, top-level `x-*` fields kept, secret contents never printed.
 */
export function projectDocument(project: Project): Record<string, unknown> {
  const document: Record<string, unknown> = {
    name: project.name,
    services: sortedByKey(project.services, (service) => withoutExtensions(service)),
  };
  if (Object.keys(project.networks).length > 0) document.networks = sortedByKey(project.networks, withoutExtensions);
  if (Object.keys(project.volumes).length > 0) document.volumes = sortedByKey(project.volumes, withoutExtensions);
  if (Object.keys(project.secrets).length > 0) {
    document.secrets = sortedByKey(project.secrets, (secret) => {
      const clean = withoutExtensions(secret);
      delete clean.content;
      return clean;
    });
  }
  if (Object.keys(project.configs).length > 0) {
    document.configs = sortedByKey(project.configs, (config) => {
      const clean = withoutExtensions(config);
      if (clean.environment !== undefined) delete clean.content;
      return clean;
    });
  }
  for (const [key, value] of Object.entries(project.extensions)) document[key] = value;
  return sortedByKey(document, (value) => value);
}

/** Docker Compose escapes every `$` of its output as `$$`, so the output can be loaded again. */
function escapeDollars(text: string): string {
  return text.replaceAll('$', '$$$$');
}

/** JSON like Go's encoding/json: HTML-sensitive characters escaped. */
function goJson(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** `docker compose config --format json` for a project. */
export function toComposeJson(project: Project): string {
  return `${escapeDollars(goJson(projectDocument(project)))}\n`;
}

/**
 * The YAML document: unlike JSON, Compose's YAML keeps `x-*` fields inside resources (inline
 * extensions), omits unset command/entrypoint, and omits empty value structs (ipam, resources,
 * placement); top-level keys in Compose's field order.
 */
function yamlDocument(project: Project): Record<string, unknown> {
  const document: Record<string, unknown> = { name: project.name };
  document.services = sortedByKey(project.services, (service) => {
    const clean: Record<string, unknown> = { ...service };
    if (clean.command === null) delete clean.command;
    if (clean.entrypoint === null) delete clean.entrypoint;
    const deploy = clean.deploy;
    if (isPlainObject(deploy)) {
      const trimmed = { ...deploy };
      for (const key of ['resources', 'placement']) {
        if (isPlainObject(trimmed[key]) && Object.keys(trimmed[key]).length === 0) delete trimmed[key];
      }
      clean.deploy = trimmed;
    }
    return clean;
  });
  if (Object.keys(project.networks).length > 0) {
    document.networks = sortedByKey(project.networks, (network) => {
      const clean = { ...network };
      if (isPlainObject(clean.ipam) && Object.keys(clean.ipam).length === 0) delete clean.ipam;
      return clean;
    });
  }
  if (Object.keys(project.volumes).length > 0) document.volumes = sortedByKey(project.volumes, (volume) => volume);
  if (Object.keys(project.secrets).length > 0) {
    document.secrets = sortedByKey(project.secrets, (secret) => {
      const clean = { ...secret };
      delete clean.content;
      return clean;
    });
  }
  if (Object.keys(project.configs).length > 0) {
    document.configs = sortedByKey(project.configs, (config) => {
      const clean = { ...config };
      if (clean.environment !== undefined) delete clean.content;
      return clean;
    });
  }
  for (const key of Object.keys(project.extensions).sort()) document[key] = project.extensions[key];
  return document;
}

/** `docker compose config` (YAML) for a project. */
export function toComposeYaml(project: Project): string {
  return escapeDollars(stringify(yamlDocument(project), { indent: 2, lineWidth: 0, aliasDuplicateObjects: false }));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (isPlainObject(value)) return sortedByKey(value, sortDeep);
  return value;
}

/** A raw model (what `config --no-interpolate` prints) as JSON or YAML, keys sorted like Go maps. */
export function formatRawModel(model: Record<string, unknown>, format: 'json' | 'yaml'): string {
  const sorted = sortDeep(model);
  if (format === 'json') return `${goJson(sorted)}\n`;
  return stringify(sorted, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}
