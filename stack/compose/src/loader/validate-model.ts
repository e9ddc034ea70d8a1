import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject } from '../plain-object.js';
import { isIpAddress } from '../transform/port-spec.js';

/**
 * The checks Compose runs on a merged model after its defaults and before paths are resolved
 * (compose-go's `validation` package): rules the JSON schema cannot say. Every resource is
 * checked, used or not, as Compose does. Paths read like Compose's (`services.a.gpus.[]`), so a
 * message names the same place; `modelPath` lets the caller find the line.
 */
export function validateModel(model: Record<string, unknown>): void {
  forEachEntry(model.volumes, (name, volume) => checkExternal(volume, `volumes.${name}`));
  forEachEntry(model.configs, (name, config) => checkFileObject(config, `configs.${name}`, ['file', 'environment', 'content']));
  forEachEntry(model.secrets, (name, secret) => checkFileObject(secret, `secrets.${name}`, ['file', 'environment']));
  forEachEntry(model.services, (name, service) => {
    if (!isPlainObject(service)) return;
    const at = `services.${name}`;
    forEachItem(service.ports, (port) => checkHostIp(port, `${at}.ports`));
    const develop = service.develop;
    if (isPlainObject(develop)) forEachItem(develop.watch, (rule) => checkWatchPath(rule, `${at}.develop.watch`));
    forEachItem(service.gpus, (request) => checkDeviceRequest(request, `${at}.gpus`));
    const deploy = service.deploy;
    const resources = isPlainObject(deploy) ? deploy.resources : undefined;
    const reservations = isPlainObject(resources) ? resources.reservations : undefined;
    if (isPlainObject(reservations)) {
      forEachItem(reservations.devices, (request) => checkDeviceRequest(request, `${at}.deploy.resources.reservations.devices`));
    }
  });
}

function forEachEntry(section: unknown, check: (name: string, value: unknown) => void): void {
  if (!isPlainObject(section)) return;
  for (const name of Object.keys(section)) check(name, section[name]);
}

function forEachItem(list: unknown, check: (item: unknown) => void): void {
  if (Array.isArray(list)) for (const item of list) check(item);
}

function invalid(path: string, message: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `${path}: ${message}`, { modelPath: path });
}

/** An external volume is only a name: anything else would be silently ignored by the engine. */
function checkExternal(volume: unknown, path: string): void {
  if (!isPlainObject(volume) || volume.external !== true) return;
  for (const key of Object.keys(volume)) {
    if (key === 'name' || key === 'external' || key.startsWith('x-')) continue;
    throw invalid(path, `conflicting parameters "external" and ${JSON.stringify(key)} specified`);
  }
}

/** A config or secret takes its content from exactly one source, unless a driver or external provides it. */
function checkFileObject(resource: unknown, path: string, sources: readonly string[]): void {
  if (!isPlainObject(resource)) return;
  const given = sources.filter((key) => key in resource).length;
  if (given > 1) throw invalid(path, `${sources.join('|')} attributes are mutually exclusive`);
  if (given === 0 && !('driver' in resource) && !('external' in resource)) {
    throw invalid(path, `one of ${sources.join('|')} must be set`);
  }
}

function checkHostIp(port: unknown, path: string): void {
  if (!isPlainObject(port) || !('host_ip' in port)) return;
  const hostIp = String(port.host_ip);
  if (!isIpAddress(hostIp)) throw invalid(`${path}.[]`, `invalid ip address: ${hostIp}`);
}

function checkWatchPath(rule: unknown, path: string): void {
  if (isPlainObject(rule) && rule.path === '') throw invalid(`${path}.[].path`, "value can't be blank");
}

/** A device request asks for a number of devices or for given ones, never both. */
function checkDeviceRequest(request: unknown, path: string): void {
  if (isPlainObject(request) && 'count' in request && 'device_ids' in request) {
    throw invalid(`${path}.[]`, '"count" and "device_ids" attributes are exclusive');
  }
}
