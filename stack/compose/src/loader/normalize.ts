import { isPlainObject, setEntry } from '../plain-object.js';
import { cleanPath } from '../transform/canonical.js';
import type { Environment } from './context.js';

const SERVICE_PREFIX = 'service:';
const CONTAINER_PREFIX = 'container:';

/**
 * Compose's normalization of a loaded model: the implicit `default` network, build defaults,
 * `environment`/`args` entries without value taken from the project variables, implicit
 * dependencies (links, `service:` namespaces, volumes_from), and default resource names.
 */
export function normalizeModel(model: Record<string, unknown>, environment: Environment): Record<string, unknown> {
  normalizeNetworks(model);
  const services = model.services;
  if (isPlainObject(services)) {
    for (const service of Object.values(services)) {
      if (isPlainObject(service)) normalizeService(service, environment);
    }
  }
  setNamesFromKeys(model);
  return model;
}

function normalizeService(service: Record<string, unknown>, environment: Environment): void {
  if (service.pull_policy === 'if_not_present') service.pull_policy = 'missing';
  const build = service.build;
  if (isPlainObject(build)) {
    if (build.context === undefined || build.context === null) build.context = '.';
    if ((build.dockerfile === undefined || build.dockerfile === null) && (build.dockerfile_inline === undefined || build.dockerfile_inline === null)) {
      build.dockerfile = 'Dockerfile';
    }
    if ('args' in build) build.args = resolveEntries(build.args, environment, false);
  }
  if ('environment' in service) service.environment = resolveEntries(service.environment, environment, true);

  const dependsOn: Record<string, unknown> = isPlainObject(service.depends_on) ? service.depends_on : {};
  const addDependency = (name: string, restart: boolean): void => {
    if (!Object.hasOwn(dependsOn, name)) setEntry(dependsOn, name, { condition: 'service_started', restart, required: true });
  };
  if (Array.isArray(service.links)) {
    for (const link of service.links) {
      const parts = String(link).split(':');
      addDependency(parts.length === 2 ? (parts[0] ?? '') : String(link), true);
    }
  }
  for (const namespace of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
    const value = service[namespace];
    if (typeof value === 'string' && value.startsWith(SERVICE_PREFIX)) addDependency(value.slice(SERVICE_PREFIX.length), true);
  }
  if (Array.isArray(service.volumes)) {
    for (const volume of service.volumes) {
      if (isPlainObject(volume) && typeof volume.target === 'string') volume.target = cleanPath(volume.target);
    }
  }
  if (Array.isArray(service.volumes_from)) {
    for (const entry of service.volumes_from) {
      const text = String(entry);
      if (!text.startsWith(CONTAINER_PREFIX)) addDependency(text.split(':')[0] ?? text, false);
    }
  }
  if (Object.keys(dependsOn).length > 0) service.depends_on = dependsOn;
}

/** Resolves entries without a value (`NAME` or `NAME: null`) from the project variables. */
function resolveEntries(value: unknown, environment: Environment, keepEmpty: boolean): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const entry of value) {
      if (typeof entry !== 'string') continue;
      if (entry.includes('=')) out.push(entry);
      else {
        const found = environment.get(entry);
        if (found !== undefined) out.push(`${entry}=${found}`);
        else if (keepEmpty) out.push(entry);
      }
    }
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== null && item !== undefined) setEntry(out, key, item);
      else {
        const found = environment.get(key);
        if (found !== undefined) setEntry(out, key, found);
        else if (keepEmpty) setEntry(out, key, null);
      }
    }
    return out;
  }
  return value;
}

function normalizeNetworks(model: Record<string, unknown>): void {
  const networks: Record<string, unknown> = isPlainObject(model.networks) ? model.networks : {};
  let usesDefault = false;
  const services = model.services;
  if (isPlainObject(services)) {
    for (const service of Object.values(services)) {
      if (!isPlainObject(service) || 'provider' in service || 'network_mode' in service) continue;
      const attached = service.networks;
      if (!isPlainObject(attached) || Object.keys(attached).length === 0) {
        service.networks = { default: null };
        usesDefault = true;
      } else if ('default' in attached) usesDefault = true;
    }
  }
  if (!('default' in networks) && usesDefault) networks.default = null;
  if (Object.keys(networks).length > 0) model.networks = networks;
}

function setNamesFromKeys(model: Record<string, unknown>): void {
  for (const section of ['networks', 'volumes', 'configs', 'secrets']) {
    const resources = model[section];
    if (!isPlainObject(resources)) continue;
    for (const [key, value] of Object.entries(resources)) {
      const resource = isPlainObject(value) ? value : {};
      if (resource.name === undefined || resource.name === null) {
        resource.name = isTrue(resource.external) ? key : `${String(model.name)}_${key}`;
      }
      resources[key] = resource;
    }
  }
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True' || value === 'TRUE' || value === '1' || value === 't' || value === 'T' || value === 1;
}
