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
    // Naming services only adds profiles: what the project enabled stays enabled.
    if (project.services[name] || hasProfile(service, profiles)) services[name] = service;
    else disabledServices[name] = service;
  }
  // compose-go's ForEachService: each name is a glob over the enabled services, and so is each
  // dependency; a dependency matching none is an error unless it is `required: false`.
  const selected = new Set<string>();
  const visit = (pattern: string, required: boolean): void => {
    const matching = Object.keys(services).filter((name) => globMatches(pattern, name));
    if (matching.length === 0) {
      if (required) throw new ComposeError(COMPOSE_ERROR_CODES.NO_SUCH_SERVICE, `no such service: ${pattern}`);
      return;
    }
    for (const name of matching) {
      if (selected.has(name)) continue;
      selected.add(name);
      for (const [dependency, options] of Object.entries(services[name]?.depends_on ?? {})) {
        visit(dependency, (options as { required?: boolean } | null)?.required !== false);
      }
    }
  };
  for (const name of names) visit(name, true);
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

/**
 * Go's `filepath.Match` on a service name: `*` and `?` (never across `/`), `[...]` classes with
 * ranges and `^` negation, `\\` escapes. A malformed pattern matches nothing, as Compose ignores
 * the error.
 */
export function globMatches(pattern: string, name: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '\\') {
      i++;
      if (i >= pattern.length) return false;
      source += escapeRegExp(pattern[i] ?? '');
    } else if (char === '[') {
      const end = classEnd(pattern, i + 1);
      if (end < 0) return false;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      if (body === '') return false;
      let members = '';
      for (let j = 0; j < body.length; j++) {
        let member = body[j] ?? '';
        if (member === '\\') member = body[++j] ?? '';
        else if (member === '-') {
          members += '-';
          continue;
        }
        members += /[A-Za-z0-9]/.test(member) ? member : `\\${member}`;
      }
      source += `[${negated ? '^' : ''}${members}]`;
      i = end;
    } else source += escapeRegExp(char);
  }
  try {
    return new RegExp(`^${source}$`, 'u').test(name);
  } catch {
    return false;
  }
}

function classEnd(pattern: string, from: number): number {
  for (let i = from; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']' && i > from) return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
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
