import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { hasProfile } from '../loader/to-project.js';
import type { Project } from './project.js';

/**
 * Restricts a project to the named services and what they depend on, enabling the profiles of
 * named services first (as `docker compose config SERVICE...` does). No names: unchanged.
 */
export function selectServices(project: Project, names: readonly string[]): Project {
  if (names.length === 0) return project;
  const all = { ...project.services, ...project.disabledServices };
  const profiles = [...project.profiles];
  for (const name of names) {
    const disabled = project.disabledServices[name];
    if (disabled) profiles.push(...(disabled.profiles ?? []));
  }
  const services: Project['services'] = {};
  const disabledServices: Project['disabledServices'] = {};
  for (const [name, service] of Object.entries(all)) {
    if (hasProfile(service, profiles)) services[name] = service;
    else disabledServices[name] = service;
  }
  const selected = new Set<string>();
  const visit = (name: string): void => {
    if (selected.has(name)) return;
    const service = services[name];
    if (!service) throw new ComposeError(COMPOSE_ERROR_CODES.NO_SUCH_SERVICE, `no such service: ${name}`);
    selected.add(name);
    for (const dependency of Object.keys(service.depends_on ?? {})) if (dependency in services) visit(dependency);
  };
  for (const name of names) visit(name);
  const kept: Project['services'] = {};
  for (const [name, service] of Object.entries(services)) {
    if (!selected.has(name)) {
      disabledServices[name] = service;
      continue;
    }
    const dependsOn = service.depends_on;
    if (dependsOn) {
      const filtered = Object.fromEntries(Object.entries(dependsOn).filter(([dependency]) => selected.has(dependency)));
      kept[name] = { ...service, depends_on: filtered };
      if (Object.keys(filtered).length === 0) delete kept[name].depends_on;
    } else kept[name] = service;
  }
  return { ...project, services: kept, disabledServices, profiles };
}

/** Drops the networks, volumes, secrets and configs that no enabled service uses. */
export function withoutUnusedResources(project: Project): Project {
  const networks = new Set<string>();
  const volumes = new Set<string>();
  const secrets = new Set<string>();
  const configs = new Set<string>();
  const models = new Set<string>();
  for (const service of Object.values(project.services)) {
    for (const network of Object.keys(service.networks ?? {})) networks.add(network);
    for (const volume of service.volumes ?? []) if (volume.type === 'volume' && volume.source) volumes.add(volume.source);
    for (const secret of (service.secrets as Array<{ source?: string }> | undefined) ?? []) if (secret.source) secrets.add(secret.source);
    for (const secret of (service.build?.secrets as Array<{ source?: string }> | undefined) ?? []) if (secret.source) secrets.add(secret.source);
    for (const config of (service.configs as Array<{ source?: string }> | undefined) ?? []) if (config.source) configs.add(config.source);
    for (const model of Object.keys((service.models as Record<string, unknown> | undefined) ?? {})) models.add(model);
  }
  const keep = <T>(resources: Record<string, T>, used: Set<string>): Record<string, T> =>
    Object.fromEntries(Object.entries(resources).filter(([name]) => used.has(name)));
  const result: Project = {
    ...project,
    networks: keep(project.networks, networks),
    volumes: keep(project.volumes, volumes),
    secrets: keep(project.secrets, secrets),
    configs: keep(project.configs, configs),
  };
  if (project.models) result.models = keep(project.models, models);
  return result;
}
