import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseComposeYaml } from '@codiesvibe/compose';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { writeAllOrNothing } from '../files/write-transaction.js';
import { readStackSettings } from '../settings/stack-settings.js';
import { discoverLayout } from '../validate/compose-layout.js';
import { asRecord } from '../validate/compose-model.js';
import { baseComposeFile, environmentEntry, insertServiceEntry, readText } from './compose-entries.js';
import { readManifest, repositoryVersions } from './dependency-versions.js';
import { portHeld, portsOfTree } from './port-check.js';
import { metricPrefix, serviceNameProblem } from './service-name.js';
import { renderServiceTemplate, templateDependencies, type ServiceTemplate } from './service-templates.js';

export interface NewServiceRequest {
  projectDir: string;
  name: string;
  template: ServiceTemplate;
  /** Unset: the first port from FIRST_DEFAULT_PORT up that the tree does not use and nothing holds. */
  port: number | undefined;
}

/** One file `stack new service` writes: created, or changed (an environment file, package.json). */
export interface PlannedWrite {
  file: string;
  content: string;
  change: 'create' | 'update';
}

export interface NewServicePlan {
  workspace: string;
  port: number;
  writes: PlannedWrite[];
}

const FIRST_DEFAULT_PORT = 4100;

/**
 * Everything `stack new service` would write, computed and checked before anything is written: an
 * invalid or taken name, a port the tree uses or a process holds, a tree it cannot learn the
 * environment entries from, each fails here with one line (a StackError) and nothing on disk.
 */
export async function planNewService(request: NewServiceRequest): Promise<NewServicePlan> {
  const { projectDir, name, template } = request;
  const problem = serviceNameProblem(name);
  if (problem) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, problem);

  const manifestFile = join(projectDir, 'package.json');
  const manifest = existsSync(manifestFile) ? readManifest(manifestFile) : undefined;
  if (!manifest?.workspaces) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, `${manifestFile}: no npm workspaces here; run stack new service from the repository root`);
  const layout = discoverLayout(projectDir);
  const settings = readStackSettings(projectDir);
  const workspace = `backend/${name}`;
  const show = (file: string): string => relative(projectDir, file);

  const taken = [
    existsSync(join(projectDir, workspace)) && `${workspace} exists`,
    manifest.workspaces.includes(workspace) && `package.json already lists the workspace ${workspace}`,
    existsSync(join(layout.root, 'services', `docker-compose.${name}.yml`)) && `docker-compose/services/docker-compose.${name}.yml exists`,
    ...[...layout.baseFiles, ...layout.environmentFiles.values(), ...layout.infrastructureFiles].map((file) => definesService(file, name) && `${show(file)} already defines a service ${name}`),
  ].find((reason): reason is string => typeof reason === 'string');
  if (taken) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_EXISTS, `service ${name} exists: ${taken}; choose another name`);

  const treePorts = portsOfTree([...layout.baseFiles, ...layout.environmentFiles.values(), ...layout.infrastructureFiles]);
  const port = request.port ?? (await firstFreePort(treePorts));
  const user = treePorts.get(port);
  if (user) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_PORT, `port ${port} is in use by service ${user} in docker-compose/; choose another with --port`);
  if (await portHeld(port)) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_PORT, `port ${port} is in use by a process on this machine; choose another with --port`);

  const nodeServices = layout.baseFiles.flatMap((file) => nodeServicesIn(file));
  const identity = { service: name, port, imageRepository: `${imageOwner(layout.baseFiles) ?? 'app'}/${name}` };
  const writes: PlannedWrite[] = [];
  for (const environment of settings.environments) {
    const file = layout.environmentFiles.get(environment);
    if (!file) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, `environment ${environment} has no file docker-compose/environments/docker-compose.${environment}.yml`);
    const text = readText(file);
    const entry = environmentEntry(text, file, nodeServices, identity);
    if (!entry) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, `${show(file)}: no Node service built from backend/Dockerfile to take the environment's settings from`);
    writes.push({ file, content: insertServiceEntry(text, entry), change: 'update' });
  }
  writes.push({ file: join(layout.root, 'services', `docker-compose.${name}.yml`), content: baseComposeFile(identity), change: 'create' });

  const { versions, missing } = repositoryVersions(projectDir, manifest.workspaces, templateDependencies(template));
  if (missing.length > 0) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_INVALID, `the ${template} template needs ${missing.join(', ')}, which no workspace declares; run npm install first`);
  for (const [path, content] of renderServiceTemplate(template, { service: name, port, metricPrefix: metricPrefix(name), versions })) {
    writes.push({ file: join(projectDir, workspace, path), content, change: 'create' });
  }
  writes.push({ file: manifestFile, content: withWorkspace(readText(manifestFile), workspace), change: 'update' });
  return { workspace, port, writes };
}

/**
 * Writes a plan, all or nothing (files/write-transaction.ts, as `stack migrate --write`): every
 * file staged beside its place, then renamed in; when any step fails (permission, a full disk, a
 * file where a folder belongs), every step is undone, so the tree is never left with the service
 * in some environment files only. Every file the plan creates must still be new: checked again
 * here, and by the writer up to the moment each is put in place (a file that appears meanwhile
 * is kept, and nothing is written).
 */
export function writeNewService(plan: NewServicePlan, show: (path: string) => string = (path) => path): void {
  const appeared = plan.writes.find((write) => write.change === 'create' && existsSync(write.file));
  if (appeared) throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_EXISTS, `${show(appeared.file)} appeared meanwhile; nothing written`);
  const files = plan.writes.map((write) => ({ path: write.file, content: write.content, createOnly: write.change === 'create' }));
  writeAllOrNothing({ moves: [], files }, show);
}

async function firstFreePort(treePorts: ReadonlyMap<number, string>): Promise<number> {
  for (let port = FIRST_DEFAULT_PORT; port < 65_536; port++) {
    if (!treePorts.has(port) && !(await portHeld(port))) return port;
  }
  throw new StackError(STACK_ERROR_CODES.NEW_SERVICE_PORT, `no free port from ${FIRST_DEFAULT_PORT} up; give one with --port`);
}

/** package.json with `workspace` added after the last backend/ workspace (the rest of the file kept as written). */
function withWorkspace(text: string, workspace: string): string {
  const manifest = JSON.parse(text) as { workspaces: string[] };
  const last = manifest.workspaces.findLastIndex((entry) => entry.startsWith('backend/'));
  manifest.workspaces.splice(last + 1, 0, workspace);
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function servicesIn(file: string): Record<string, unknown> {
  const [document] = parseComposeYaml(readText(file), file);
  return asRecord(asRecord(document?.value)?.services) ?? {};
}

function definesService(file: string, name: string): boolean {
  return Object.hasOwn(servicesIn(file), name);
}

/** Services of a base file built from backend/Dockerfile (the Node services). */
function nodeServicesIn(file: string): string[] {
  return Object.entries(servicesIn(file))
    .filter(([, value]) => asRecord(asRecord(value)?.build)?.dockerfile === 'backend/Dockerfile')
    .map(([name]) => name);
}

/** The owner part of the Node services' images (`codiesvibe` of `codiesvibe/nestjs-api:...`). */
function imageOwner(baseFiles: readonly string[]): string | undefined {
  for (const file of baseFiles) {
    for (const value of Object.values(servicesIn(file))) {
      const definition = asRecord(value);
      const image = definition?.image;
      if (asRecord(definition?.build)?.dockerfile === 'backend/Dockerfile' && typeof image === 'string' && image.includes('/')) return image.split('/')[0];
    }
  }
  return undefined;
}
