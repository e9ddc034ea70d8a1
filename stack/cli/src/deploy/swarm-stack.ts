import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { projectDocument, type Project } from '@codiesvibe/compose';

/*
 * The environment as a stack file for `docker stack deploy`. Swarm runs every service from an
 * image on any node of the cluster, so what only makes sense on one Docker host goes or changes:
 * builds become image tags, bind-mounted config files become Swarm configs, file secrets become
 * external secrets (created once with `docker secret create`), bridge networks become overlays,
 * and the rollout is described by `update_config`/`rollback_config` instead of Compose's recreate.
 */

/** What Swarm does with a setting of the model: ignores it (the file loads) or refuses it. */
export interface SwarmFinding {
  service?: string;
  setting: string;
  effect: 'ignored' | 'refused' | 'changed';
  why: string;
}

export interface SwarmStack {
  /** The stack file, as a plain object (print it with `yaml`). */
  document: Record<string, unknown>;
  findings: SwarmFinding[];
  /** `docker secret create` / `docker config create` lines, to run once on a manager node. */
  createCommands: string[];
  /** The name the stack is deployed under (`docker stack deploy -c FILE NAME`). */
  stackName: string;
}

/** Settings `docker stack deploy` ignores with a warning (the file still loads). */
const IGNORED_BY_SWARM: Readonly<Record<string, string>> = {
  cgroup_parent: 'Swarm tasks run under the node’s cgroup',
  devices: 'Swarm does not map host devices into tasks',
  external_links: 'links do not exist on overlay networks; services reach each other by name',
  links: 'links do not exist on overlay networks; services reach each other by name',
  security_opt: 'Swarm does not pass security options to tasks',
  userns_mode: 'Swarm does not set a user namespace per task',
  privileged: 'Swarm does not run privileged tasks',
  pid: 'Swarm does not share a PID namespace with the host',
  ipc: 'Swarm does not share an IPC namespace',
  profiles: 'a stack deploys every service of its file',
  pull_policy: 'Swarm pulls the tag on each node when the task is scheduled',
  platform: 'use deploy.placement.constraints (node.platform.arch) instead',
  develop: 'watch mode is a Compose development feature',
};

/** Settings Swarm cannot run at all: the service must change before it deploys. */
const REFUSED_BY_SWARM: Readonly<Record<string, string>> = {
  network_mode: 'host or service network modes do not exist for Swarm services',
};

/** Names of Swarm objects: a letter or digit, then letters, digits, `_`, `.`, `-`; at most 64. */
function objectName(text: string): string {
  const name = text.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^[^a-zA-Z0-9]+/, '');
  return name.length <= 64 ? name : name.slice(0, 64);
}

/**
 * A service that keeps state in a named volume (mongodb, redis): replaced stop-first, as two
 * tasks must never open the same data files, and its networks are encrypted.
 */
export function isDataService(service: Record<string, unknown>): boolean {
  const volumes = Array.isArray(service.volumes) ? (service.volumes as Record<string, unknown>[]) : [];
  return volumes.some((volume) => volume.type === 'volume');
}

/** Renders the resolved `project` as a Swarm stack file. Reads the files of bind mounts (for configs); writes nothing. */
export function renderSwarmStack(project: Project): SwarmStack {
  const source = projectDocument(project) as Record<string, Record<string, Record<string, unknown>> | string>;
  const services = (source.services ?? {}) as Record<string, Record<string, unknown>>;
  const findings: SwarmFinding[] = [];
  const createCommands: string[] = [];
  const configs: Record<string, Record<string, unknown>> = {};
  const secrets: Record<string, Record<string, unknown>> = {};
  const dataNetworks = new Set<string>();
  const out: Record<string, Record<string, unknown>> = {};

  for (const [name, service] of Object.entries(services)) {
    const rendered: Record<string, unknown> = {};
    const data = isDataService(service);
    for (const [key, value] of Object.entries(service)) {
      // Unset in the model (`command: null`): nothing to say to Swarm.
      if (value === null) continue;
      if (key in REFUSED_BY_SWARM) {
        findings.push({ service: name, setting: key, effect: 'refused', why: REFUSED_BY_SWARM[key]! });
        continue;
      }
      if (key in IGNORED_BY_SWARM) {
        findings.push({ service: name, setting: key, effect: 'ignored', why: IGNORED_BY_SWARM[key]! });
        continue;
      }
      switch (key) {
        case 'build':
          if (typeof service.image !== 'string') findings.push({ service: name, setting: 'build', effect: 'refused', why: 'Swarm does not build: give the service an image tag (build and push it first)' });
          else findings.push({ service: name, setting: 'build', effect: 'changed', why: 'Swarm does not build: runs the image tag (stack build, then push the tags to a registry every node can pull from)' });
          break;
        case 'container_name':
          findings.push({ service: name, setting: 'container_name', effect: 'ignored', why: 'Swarm names tasks <stack>_<service>.<slot>; a fixed name would stop replicas' });
          break;
        case 'depends_on':
          // Swarm starts every service at once and restarts what fails: the order is lost.
          findings.push({ service: name, setting: 'depends_on', effect: 'changed', why: 'Swarm ignores start order and its conditions: kept as a plain list for readers, the service must retry its dependencies' });
          // An optional dependency on a service the environment does not run (ollama) is dropped.
          rendered.depends_on = Object.keys(value as Record<string, unknown>).filter((dependency) => dependency in services);
          if ((rendered.depends_on as string[]).length === 0) delete rendered.depends_on;
          break;
        case 'restart':
          findings.push({ service: name, setting: 'restart', effect: 'changed', why: 'Swarm reads deploy.restart_policy' });
          break;
        case 'environment':
          rendered.environment = { ...(value as Record<string, unknown>), INSTANCE_ID: '{{.Task.Slot}}' };
          break;
        case 'volumes':
          rendered.volumes = swarmVolumes(name, value as Record<string, unknown>[], { project, configs, createCommands, findings, configRefs: (rendered.configs ??= []) as unknown[] });
          if ((rendered.configs as unknown[]).length === 0) delete rendered.configs;
          if ((rendered.volumes as unknown[]).length === 0) delete rendered.volumes;
          break;
        case 'ports':
          rendered.ports = (value as Record<string, unknown>[]).map((port) => ({ ...port, published: port.published === undefined ? undefined : Number(port.published) }));
          break;
        case 'deploy':
          break;
        case 'image':
        default:
          rendered[key] = value;
      }
    }
    if (!rendered.environment) rendered.environment = { INSTANCE_ID: '{{.Task.Slot}}' };
    rendered.deploy = swarmDeploy(service, data);
    if (data) for (const network of Object.keys((service.networks as Record<string, unknown>) ?? {})) dataNetworks.add(network);
    out[name] = sortKeys(rendered);
  }

  const networks: Record<string, Record<string, unknown>> = {};
  for (const [name, network] of Object.entries((source.networks ?? {}) as Record<string, Record<string, unknown>>)) {
    // The stack prefixes its networks with the stack name: Compose's `name` would collide between stacks.
    const { name: _ignored, driver: _driver, ...rest } = network;
    networks[name] = sortKeys({ ...rest, driver: 'overlay', ...(dataNetworks.has(name) ? { driver_opts: { ...(rest.driver_opts as object), encrypted: '' } } : {}) });
  }
  const volumes: Record<string, Record<string, unknown>> = {};
  for (const [name, volume] of Object.entries((source.volumes ?? {}) as Record<string, Record<string, unknown>>)) {
    const { name: _ignored, ...rest } = volume;
    volumes[name] = rest;
    findings.push({ setting: `volumes.${name}`, effect: 'changed', why: 'a local volume lives on one node: pin its service there with deploy.placement.constraints, or use a volume driver every node reaches' });
  }
  for (const [name, secret] of Object.entries((source.secrets ?? {}) as Record<string, Record<string, unknown>>)) {
    const external = objectName(`${project.name}_${name}`);
    secrets[name] = { external: true, name: external };
    if (typeof secret.file === 'string') createCommands.push(`docker secret create ${external} ${shellWord(relative(project.workingDir, secret.file) || secret.file)}`);
    else if (typeof secret.environment === 'string') createCommands.push(`printf %s "$${secret.environment}" | docker secret create ${external} -`);
    else if (secret.external !== true) createCommands.push(`docker secret create ${external} FILE`);
  }
  for (const [name, config] of Object.entries((source.configs ?? {}) as Record<string, Record<string, unknown>>)) {
    const external = objectName(`${project.name}_${name}`);
    configs[name] = { external: true, name: external };
    if (typeof config.file === 'string') createCommands.push(`docker config create ${external} ${shellWord(relative(project.workingDir, config.file) || config.file)}`);
  }

  const document: Record<string, unknown> = { services: out };
  if (Object.keys(networks).length) document.networks = networks;
  if (Object.keys(volumes).length) document.volumes = volumes;
  if (Object.keys(secrets).length) document.secrets = secrets;
  if (Object.keys(configs).length) document.configs = sortKeys(configs);
  return { document, findings, createCommands, stackName: project.name };
}

/** deploy: replicas, limits and reservations kept; the rollout and restart policy Swarm's way. */
function swarmDeploy(service: Record<string, unknown>, data: boolean): Record<string, unknown> {
  const deploy = Object.fromEntries(Object.entries((service.deploy as Record<string, unknown> | undefined) ?? {}).filter(([, value]) => !isEmptyObject(value)));
  const resources = deploy.resources as Record<string, Record<string, unknown>> | undefined;
  if (resources) {
    // Docker's stack file schema takes cpus as a string ("0.5"); copies, the model stays as it is.
    const copy: Record<string, Record<string, unknown>> = {};
    for (const [kind, entry] of Object.entries(resources)) {
      copy[kind] = typeof entry.cpus === 'number' || typeof entry.cpus === 'string' ? { ...entry, cpus: String(entry.cpus) } : entry;
    }
    deploy.resources = copy;
  }
  const restart = typeof service.restart === 'string' ? service.restart : 'no';
  deploy.restart_policy ??= { condition: restart === 'no' ? 'none' : restart.startsWith('on-failure') ? 'on-failure' : 'any', delay: '5s' };
  // start-first: the new task is healthy before the old stops (zero downtime); a data service
  // cannot run two tasks on the same files, so it stops first.
  const order = data ? 'stop-first' : 'start-first';
  deploy.update_config ??= { parallelism: 1, delay: '10s', order, failure_action: 'rollback', monitor: '30s', max_failure_ratio: 0 };
  deploy.rollback_config ??= { parallelism: 1, order, failure_action: 'pause', monitor: '30s' };
  return sortKeys(deploy);
}

interface VolumeContext {
  project: Project;
  configs: Record<string, Record<string, unknown>>;
  createCommands: string[];
  findings: SwarmFinding[];
  configRefs: unknown[];
}

/**
 * Named volumes stay; a read-only bind mount of project files becomes one Swarm config per file
 * (a bind mount needs the path on every node); another bind mount stays with a finding.
 */
function swarmVolumes(service: string, volumes: Record<string, unknown>[], context: VolumeContext): Record<string, unknown>[] {
  const kept: Record<string, unknown>[] = [];
  for (const volume of volumes) {
    const { volume: options, bind: _bind, ...rest } = volume;
    if (volume.type !== 'bind') {
      kept.push(options && Object.keys(options).length ? volume : rest);
      continue;
    }
    const sourcePath = String(volume.source);
    const target = String(volume.target);
    if (volume.read_only !== true || !existsSync(sourcePath) || relative(context.project.workingDir, sourcePath).startsWith('..')) {
      context.findings.push({ service, setting: `volumes ${target}`, effect: 'changed', why: `a bind mount needs ${sourcePath} on every node the task may run on` });
      kept.push(rest);
      continue;
    }
    for (const file of listFiles(sourcePath)) {
      const within = relative(sourcePath, file);
      const key = objectName(relative(context.project.workingDir, file).split(/[\\/]/).join('_'));
      const external = objectName(`${context.project.name}_${key}`);
      if (!context.configs[key]) {
        context.configs[key] = { external: true, name: external };
        context.createCommands.push(`docker config create ${external} ${shellWord(relative(context.project.workingDir, file))}`);
      }
      context.configRefs.push({ source: key, target: within ? posix.join(target, within.split(/[\\/]/).join('/')) : target, mode: 0o444 });
    }
    context.findings.push({ service, setting: `volumes ${target}`, effect: 'changed', why: 'bind mount of project files: given as Swarm configs (create them once, see the commands)' });
  }
  return kept;
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => listFiles(join(path, entry.name)));
}

function isEmptyObject(value: unknown): boolean {
  return value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

function sortKeys<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b))) as T;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
