import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import type { Project, ServiceConfig } from '../model/project.js';

function inconsistent(message: string, modelPath?: string): ComposeError {
  return new ComposeError(COMPOSE_ERROR_CODES.INCONSISTENT, `${message}: invalid compose project`, { modelPath });
}

/** The number of containers a service asks for (`scale`, else `deploy.replicas`, else 1). */
export function serviceScale(service: ServiceConfig): number {
  if (typeof service.scale === 'number') return service.scale;
  const replicas = (service.deploy as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

/**
 * Compose's consistency checks on the enabled services: every reference (dependency, network,
 * volume, secret, config) is defined, no conflicting settings, no dependency cycle.
 */
export function checkConsistency(project: Project): void {
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name] ?? {};
    const at = `services.${name}`;
    if (service.build === undefined && service.image === undefined && service.provider === undefined) {
      throw inconsistent(`service "${name}" has neither an image nor a build context specified`, at);
    }
    const build = service.build;
    if (build?.dockerfile_inline !== undefined && build.dockerfile !== undefined) {
      throw inconsistent(`service "${name}" declares mutualy exclusive dockerfile and dockerfile_inline`, `${at}.build`);
    }
    if (build) checkBuild(project, name, service);
    const networks = service.networks ?? {};
    if (typeof service.network_mode === 'string' && Object.keys(networks).length > 0) {
      throw inconsistent(`service ${name} declares mutually exclusive \`network_mode\` and \`networks\``, `${at}.network_mode`);
    }
    for (const network of Object.keys(networks)) {
      if (!Object.hasOwn(project.networks, network)) throw inconsistent(`service "${name}" refers to undefined network ${network}`, `${at}.networks`);
    }
    const test = service.healthcheck?.test;
    if (Array.isArray(test) && test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(String(test[0]))) {
      throw inconsistent('healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"', `${at}.healthcheck`);
    }
    for (const [dependency, config] of Object.entries(service.depends_on ?? {})) {
      if (Object.hasOwn(project.services, dependency)) continue;
      if (Object.hasOwn(project.disabledServices, dependency) && config.required === false) continue;
      throw inconsistent(`service "${name}" depends on undefined service "${dependency}"`, `${at}.depends_on`);
    }
    if (typeof service.network_mode === 'string' && service.network_mode.startsWith('service:')) {
      const target = service.network_mode.slice('service:'.length);
      if (!Object.hasOwn(project.services, target)) throw inconsistent(`service "${target}" not found for network_mode 'service:${target}'`, at);
    }
    for (const volume of service.volumes ?? []) {
      if (volume.type === 'volume' && volume.source && !Object.hasOwn(project.volumes, volume.source)) {
        throw inconsistent(`service "${name}" refers to undefined volume ${volume.source}`, `${at}.volumes`);
      }
    }
    for (const secret of (build?.secrets as Array<{ source?: string }> | undefined) ?? []) {
      if (secret.source && !Object.hasOwn(project.secrets, secret.source)) {
        throw inconsistent(`service "${name}" refers to undefined build secret ${secret.source}`, `${at}.build.secrets`);
      }
    }
    for (const config of (service.configs as Array<{ source?: string }> | undefined) ?? []) {
      if (config.source === undefined || !Object.hasOwn(project.configs, config.source)) {
        throw inconsistent(`service "${name}" refers to undefined config ${String(config.source)}`, `${at}.configs`);
      }
    }
    for (const model of Object.keys((service.models as Record<string, unknown> | undefined) ?? {})) {
      if (!Object.hasOwn(project.models ?? {}, model)) throw inconsistent(`service "${name}" refers to undefined model ${model}`, `${at}.models`);
    }
    for (const secret of (service.secrets as Array<{ source?: string }> | undefined) ?? []) {
      if (secret.source === undefined || !Object.hasOwn(project.secrets, secret.source)) {
        throw inconsistent(`service "${name}" refers to undefined secret ${String(secret.source)}`, `${at}.secrets`);
      }
    }
    const replicas = (service.deploy as { replicas?: number } | undefined)?.replicas;
    if (typeof service.scale === 'number' && typeof replicas === 'number' && service.scale !== replicas) {
      throw inconsistent(`services.${name}: can't set distinct values on 'scale' and 'deploy.replicas'`, at);
    }
    // Compose then copies `scale` into an existing `deploy` (so `deploy.replicas` is printed).
    if (typeof service.scale === 'number' && isRecord(service.deploy)) {
      // Go's field order is mode, then replicas; the spread keeps the nested x-* fields.
      const { mode, replicas: _replaced, ...rest } = service.deploy;
      service.deploy = { ...(mode === undefined ? {} : { mode }), replicas: service.scale, ...rest };
    }
    checkResourceDuplicates(name, service);
    if (typeof service.scale === 'number' && service.scale < 0) throw inconsistent(`services.${name}.scale: must be greater than or equal to 0`, at);
    if (typeof replicas === 'number' && replicas < 0) throw inconsistent(`services.${name}.deploy.replicas: must be greater than or equal to 0`, at);
    if (serviceScale(service) > 1 && service.container_name) {
      const attribute = typeof service.scale === 'number' ? 'scale' : 'deploy.replicas';
      throw inconsistent(
        `services.${name}: can't set container_name "${service.container_name}" and ${attribute} greater than 1 as container name must be unique`,
        `${at}.container_name`,
      );
    }
    const watch = isRecord(service.develop) && Array.isArray(service.develop.watch) ? (service.develop.watch as unknown[]) : [];
    for (const rule of watch) {
      if (!isRecord(rule)) continue;
      if (!rule.target && rule.action !== 'rebuild' && rule.action !== 'restart') {
        throw inconsistent(`services.${name}.develop.watch: target is required for non-rebuild actions`, `${at}.develop.watch`);
      }
    }
    const mounts = new Map<string, string>();
    ((service.tmpfs as string[] | undefined) ?? []).forEach((entry, index) => {
      const target = entry.split(':')[0] ?? entry;
      const location = `services.${name}.tmpfs[${index}]`;
      const previous = mounts.get(target);
      if (previous) throw inconsistent(`${location}: target ${target} already mounted as ${previous}`, `${at}.tmpfs`);
      mounts.set(target, location);
    });
    (service.volumes ?? []).forEach((volume, index) => {
      const target = volume.target ?? '';
      const location = `services.${name}.volumes[${index}]`;
      const previous = mounts.get(target);
      if (previous) throw inconsistent(`${location}: target ${target} already mounted as ${previous}`, `${at}.volumes`);
      mounts.set(target, location);
    });
  }
  for (const [name, secret] of Object.entries(project.secrets)) {
    if (secret.external === true) continue;
    if (secret.file === undefined && secret.environment === undefined) {
      throw inconsistent(`secret "${name}" must declare either \`file\` or \`environment\``, `secrets.${name}`);
    }
  }
  checkDependencyCycles(project);
  checkContainerNameUnicity(project);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `service:NAME` additional contexts and build platforms, checked like Compose. */
function checkBuild(project: Project, name: string, service: ServiceConfig): void {
  const build = service.build ?? {};
  const contexts = isRecord(build.additional_contexts) ? build.additional_contexts : {};
  for (const [context, value] of Object.entries(contexts)) {
    if (typeof value !== 'string' || !value.startsWith('service:')) continue;
    const target = value.slice('service:'.length);
    const other = project.services[target];
    if (!other) throw new ComposeError(COMPOSE_ERROR_CODES.INCONSISTENT, `service "${name}" declares unknown service "${target}" as additional contexts ${context}`, { modelPath: `services.${name}.build.additional_contexts` });
    if (other.build === undefined) {
      throw new ComposeError(COMPOSE_ERROR_CODES.INCONSISTENT, `service "${name}" declares non-buildable service "${target}" as additional contexts ${context}`, {
        modelPath: `services.${name}.build.additional_contexts`,
      });
    }
  }
  const platforms = Array.isArray(build.platforms) ? build.platforms : [];
  if (platforms.length > 0 && typeof service.platform === 'string' && service.platform !== '' && !platforms.includes(service.platform)) {
    throw inconsistent(`service.build.platforms MUST include service.platform ${JSON.stringify(service.platform)}`, `services.${name}.platform`);
  }
}

/**
 * A service-level limit (`cpus`, `mem_limit`, `mem_reservation`, `pids_limit`) and its
 * `deploy.resources` twin may both be set only to the same value. Compose compares `cpus` as Go
 * float32s, and a twin left unset counts as zero when its section exists.
 */
function checkResourceDuplicates(name: string, service: ServiceConfig): void {
  if (!isRecord(service.deploy)) return;
  const resources = isRecord(service.deploy.resources) ? service.deploy.resources : {};
  const limits = isRecord(resources.limits) ? resources.limits : undefined;
  const reservations = isRecord(resources.reservations) ? resources.reservations : undefined;
  const pairs: Array<[string, unknown, Record<string, unknown> | undefined, string, string]> = [
    ['cpus', service.cpus, limits, 'cpus', 'deploy.resources.limits.cpus'],
    ['mem_limit', service.mem_limit, limits, 'memory', 'deploy.resources.limits.memory'],
    ['mem_reservation', service.mem_reservation, reservations, 'memory', 'deploy.resources.reservations.memory'],
    ['pids_limit', service.pids_limit, limits, 'pids', 'deploy.resources.limits.pids'],
  ];
  for (const [field, own, section, key, twin] of pairs) {
    if (own === undefined || own === null || Number(own) === 0 || section === undefined) continue;
    const other = section[key] ?? 0;
    const same = field === 'cpus' ? Math.fround(Number(own)) === Math.fround(Number(other)) : Number(own) === Number(other);
    if (!same) throw inconsistent(`services.${name}: can't set distinct values on '${field}' and '${twin}'`, `services.${name}.${field}`);
  }
}

/** Two services cannot use the same `container_name`. */
function checkContainerNameUnicity(project: Project): void {
  const owners = new Map<string, string>();
  for (const name of Object.keys(project.services).sort()) {
    const containerName = project.services[name]?.container_name;
    if (!containerName) continue;
    const owner = owners.get(containerName);
    if (owner) {
      throw inconsistent(`services.${name}: container name "${containerName}" is already in use by service ${owner}`, `services.${name}.container_name`);
    }
    owners.set(containerName, name);
  }
}

function checkDependencyCycles(project: Project): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const current = state.get(name);
    if (current === 'done') return;
    if (current === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw inconsistent(`dependency cycle detected: ${cycle.join(' -> ')}`, `services.${name}.depends_on`);
    }
    state.set(name, 'visiting');
    for (const dependency of Object.keys(project.services[name]?.depends_on ?? {}).sort()) {
      if (Object.hasOwn(project.services, dependency)) visit(dependency, [...path, name]);
    }
    state.set(name, 'done');
  };
  for (const name of Object.keys(project.services).sort()) visit(name, []);
}
