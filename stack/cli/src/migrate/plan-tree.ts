import { isDeepStrictEqual } from 'node:util';
import { join, relative } from 'node:path';
import { STACK_ERROR_CODES, StackError } from '../errors.js';
import { unmarkPaths } from './host-paths.js';
import type { MigrateRequest } from './migrate-options.js';
import { toWrittenForm } from './normal-form.js';
import { RESOURCE_SECTIONS, type RawModel, type ResourceSection } from './raw-compose.js';
import { commonPart, remainder } from './split-definitions.js';

/** The first line of the entry file's header: a second run knows the tree's compose.yaml by it. */
export const ENTRY_FILE_FIRST_LINE = 'Entry point, so plain `docker compose` works from this folder. An included file does not name';

type Mapping = Record<string, unknown>;

export type PlannedFileKind = 'entry' | 'root' | 'base' | 'environment' | 'infrastructure' | 'group' | 'extensions';

export interface DroppedExtension {
  name: string;
  reason: "only in an optional group's files" | 'its environment file is read by services through env_file';
}

/** One compose file of the new tree, before it is rendered as YAML. */
export interface PlannedCompose {
  kind: PlannedFileKind;
  /** Absolute path. */
  path: string;
  /** Comment lines at the top of the file. */
  header: string[];
  document: Mapping;
  /** The services it defines (for the plan's listing). */
  services: string[];
}

/** The modular tree that reproduces the originals, and what it took to build it. */
export interface TreePlan {
  projectName: string;
  /** The variable `.env.<env>` sets to select the environment (`<PROJECT>_ENV`). */
  selector: string;
  defaultEnvironment: string;
  composeFiles: PlannedCompose[];
  /** Service → optional group, for the services started with a profile. */
  groupServices: Map<string, string>;
  /**
   * Top-level x- fields the new tree cannot keep, with the reason: those only an optional group's
   * files have (Compose drops the top-level x- fields of included files, and a group is included),
   * and an environment's own when its env file is one its services read through env_file (a
   * COMPOSE_FILE line there would reach the containers).
   */
  droppedExtensions: DroppedExtension[];
  /**
   * Environment → its file of the x- fields the other environments do not share. Compose prints
   * the x- fields of the files it is given, never of included ones, so `.env.<env>` names this
   * file after compose.yaml in COMPOSE_FILE.
   */
  extensionFiles: Map<string, string>;
}

export interface PlanInput {
  request: MigrateRequest;
  projectName: string;
  /** The variable that selects the environment (see env-files.ts chooseSelector). */
  selector: string;
  environments: ReadonlyMap<string, RawModel>;
  groups: ReadonlyMap<string, RawModel>;
  /** Environments whose env file services also read through env_file: it cannot take COMPOSE_FILE. */
  envFileShared?: ReadonlySet<string>;
}

/** File name token of a service: `docker-compose.<token>.yml` (lower case, digits and -). */
function fileToken(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'service'
  );
}

/** `<PROJECT>_ENV`: the variable that selects the environment, named after the project. */
export function selectorVariable(projectName: string): string {
  const stem = projectName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return `${/^[A-Z_]/.test(stem) ? stem : `P${stem}`}_ENV`;
}

/**
 * Decides where each service and resource goes. A service the same in every environment and not
 * built here goes whole into infrastructure/docker-compose.infra.yml (included by every
 * environment); a service of an optional group into infrastructure/docker-compose.<group>.yml with
 * its profile; a service in one environment only stays in that environment's file; every other
 * service gets a base file in services/ with what its environments share, and each environment
 * file extends it with its own differences.
 */
export function planTree({ request, projectName, selector, environments, groups, envFileShared = new Set() }: PlanInput): TreePlan {
  const layout = join(request.outDir, 'docker-compose');
  const servicesDir = join(layout, 'services');
  const environmentsDir = join(layout, 'environments');
  const infrastructureDir = join(layout, 'infrastructure');
  const names = [...environments.keys()];
  const models = [...environments.values()];
  const defaultEnvironment = names.includes('development') ? 'development' : (names[0] ?? 'development');

  const groupServices = new Map<string, string>();
  for (const [group, model] of groups) {
    for (const service of Object.keys(model.services)) {
      const environment = names.find((name) => environments.get(name)?.services[service]);
      if (environment) {
        throw new StackError(
          STACK_ERROR_CODES.MIGRATE_CONFLICT,
          `service ${service} is in the optional group ${group} and in the files of ${environment}: keep it in one of them`,
        );
      }
      groupServices.set(service, group);
    }
  }

  const infra: { services: Mapping } & Partial<Record<ResourceSection, Mapping>> = { services: {} };
  const bases = new Map<string, { token: string; definition: Mapping }>();
  const perEnvironment = new Map<string, { services: Mapping; resources: Partial<Record<ResourceSection, Mapping>> }>(
    names.map((name) => [name, { services: {}, resources: {} }]),
  );
  const tokens = new Set<string>();
  const uniqueToken = (service: string) => {
    let token = fileToken(service);
    for (let n = 2; tokens.has(token); n++) token = `${fileToken(service)}-${n}`;
    tokens.add(token);
    return token;
  };

  for (const service of orderedServices(models)) {
    const present = names.filter((name) => environments.get(name)?.services[service]);
    const definitions = present.map((name) => environments.get(name)?.services[service] as Mapping);
    const [first] = definitions;
    if (!first) continue;
    const identical = definitions.every((definition) => isDeepStrictEqual(definition, first));
    if (present.length === names.length && identical && first.build === undefined) {
      infra.services[service] = first;
      continue;
    }
    const shared = present.length > 1 || names.length === 1 ? (commonPart(definitions) as Mapping | undefined) : undefined;
    if (!shared) {
      present.forEach((name, index) => (perEnvironment.get(name)!.services[service] = definitions[index]));
      continue;
    }
    const token = uniqueToken(service);
    bases.set(service, { token, definition: shared });
    present.forEach((name, index) => {
      const extendsRef = { file: `../services/docker-compose.${token}.yml`, service };
      const own = (remainder(definitions[index], shared) as Mapping | undefined) ?? {};
      perEnvironment.get(name)!.services[service] = { extends: extendsRef, ...own };
    });
  }

  for (const section of RESOURCE_SECTIONS) {
    const resourceNames = [...new Set(models.flatMap((model) => Object.keys(model.resources[section])))];
    for (const resource of resourceNames) {
      const values = models.map((model) => model.resources[section][resource]);
      if (values.every((value) => value !== undefined && isDeepStrictEqual(value, values[0]))) {
        (infra[section] ??= {})[resource] = values[0];
        continue;
      }
      names.forEach((name, index) => {
        if (values[index] === undefined) return;
        const resources = perEnvironment.get(name)!.resources;
        (resources[section] ??= {})[resource] = values[index];
      });
    }
  }

  const files: PlannedCompose[] = [];
  const originals = request.environments.map((environment) => `${environment.name}: ${environment.files.map((file) => relative(request.projectDir, file)).join(', ')}`);

  for (const [service, { token, definition }] of bases) {
    const path = join(servicesDir, `docker-compose.${token}.yml`);
    files.push({
      kind: 'base',
      path,
      header: [
        `Base definition of ${service}: what every environment that runs it shares. Environment files`,
        'reach it only through `extends`; host paths here are relative to this file.',
      ],
      document: { services: { [service]: written(definition, servicesDir) } },
      services: [service],
    });
  }

  const infraFile = join(infrastructureDir, 'docker-compose.infra.yml');
  const hasInfra = Object.keys(infra.services).length > 0 || RESOURCE_SECTIONS.some((section) => infra[section]);
  if (hasInfra) {
    const document: Mapping = {};
    if (Object.keys(infra.services).length > 0) {
      document.services = Object.fromEntries(Object.entries(infra.services).map(([name, service]) => [name, written(service as Mapping, infrastructureDir)]));
    }
    for (const section of RESOURCE_SECTIONS) if (infra[section]) document[section] = unmarkPaths(infra[section], infrastructureDir);
    files.push({
      kind: 'infrastructure',
      path: infraFile,
      header: ['Infrastructure every environment shares, included by each environment file: the services that', 'are the same everywhere and not built here, and the networks, volumes, secrets and configs.'],
      document,
      services: Object.keys(infra.services),
    });
  }

  const groupFiles: string[] = [];
  for (const [group, model] of groups) {
    const path = join(infrastructureDir, `docker-compose.${group}.yml`);
    groupFiles.push(path);
    const document: Mapping = {
      services: Object.fromEntries(
        Object.entries(model.services).map(([name, service]) => [name, written({ ...service, profiles: service.profiles ?? [group] }, infrastructureDir)]),
      ),
    };
    for (const section of RESOURCE_SECTIONS) {
      const own = Object.fromEntries(Object.entries(model.resources[section]).filter(([name]) => !infra[section]?.[name]));
      if (Object.keys(own).length > 0) document[section] = unmarkPaths(own, infrastructureDir);
    }
    files.push({
      kind: 'group',
      path,
      header: [`Optional group ${group}: started with \`--profile ${group}\`; included by every environment file.`],
      document,
      services: Object.keys(model.services),
    });
  }

  for (const name of names) {
    const own = perEnvironment.get(name)!;
    const path = join(environmentsDir, `docker-compose.${name}.yml`);
    const document: Mapping = {};
    const includes = [...(hasInfra ? [infraFile] : []), ...groupFiles].map((file) => relative(environmentsDir, file));
    if (includes.length > 0) document.include = includes;
    document.services = Object.fromEntries(Object.entries(own.services).map(([service, definition]) => [service, written(definition as Mapping, environmentsDir)]));
    for (const section of RESOURCE_SECTIONS) if (own.resources[section]) document[section] = unmarkPaths(own.resources[section], environmentsDir);
    files.push({
      kind: 'environment',
      path,
      header: [
        `Environment ${name}: every service it runs, each extending its base file with only what`,
        `differs here. Selected by ${selector}=${name} (.env.${name}).`,
        `Migrated by stack migrate from: ${originals.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 2) ?? ''}`,
      ],
      document,
      services: Object.keys(own.services),
    });
  }

  // Every x- field the environments agree on goes into the entry file, anchor holders included:
  // `docker compose config` prints the x- fields of the files it is given, so the migrated tree
  // prints the same. The others go to a file per environment that its .env.<env> names in
  // COMPOSE_FILE after compose.yaml (an included file's x- fields are not printed).
  const commonExtensions: Mapping = {};
  const ownExtensions = new Map<string, Mapping>();
  for (const key of [...new Set(models.flatMap((model) => Object.keys(model.extensions)))]) {
    const values = models.map((model) => model.extensions[key]);
    if (values.every((value) => value !== undefined && isDeepStrictEqual(value, values[0]))) {
      commonExtensions[key] = values[0];
      continue;
    }
    names.forEach((name, index) => {
      if (values[index] === undefined) return;
      ownExtensions.set(name, { ...ownExtensions.get(name), [key]: values[index] });
    });
  }
  const droppedExtensions: DroppedExtension[] = [];
  const extensionFiles = new Map<string, string>();
  for (const [name, document] of ownExtensions) {
    if (envFileShared.has(name)) {
      for (const key of Object.keys(document)) {
        if (!droppedExtensions.some((dropped) => dropped.name === key)) droppedExtensions.push({ name: key, reason: 'its environment file is read by services through env_file' });
      }
      continue;
    }
    // A folder of its own: environments/ holds one docker-compose.<env>.yml per environment, and
    // that name is how stack and stack validate find them.
    const path = join(environmentsDir, 'extensions', `docker-compose.${name}.yml`);
    extensionFiles.set(name, path);
    files.push({
      kind: 'extensions',
      path,
      header: [
        `The x- fields of ${name}'s original files that the other environments do not share, kept so`,
        '`docker compose config` prints what it printed before. Compose prints the x- fields of the',
        `files it is given, not of included ones: .env.${name} names this file in COMPOSE_FILE.`,
      ],
      document,
      services: [],
    });
  }
  for (const model of groups.values()) {
    for (const key of Object.keys(model.extensions)) {
      const kept = key in commonExtensions || [...ownExtensions.values()].some((own) => key in own);
      if (!kept && !droppedExtensions.some((dropped) => dropped.name === key)) droppedExtensions.push({ name: key, reason: "only in an optional group's files" });
    }
  }

  files.push({
    kind: 'root',
    path: join(layout, 'docker-compose.yml'),
    header: [
      `Root composition: ${selector} (set by .env.<environment>, default ${defaultEnvironment}) selects the`,
      'environment file, which is a complete model of that environment.',
      `  docker compose --env-file .env.${names.find((name) => name !== defaultEnvironment) ?? defaultEnvironment} up -d`,
    ],
    document: { name: projectName, include: [{ path: `./environments/docker-compose.\${${selector}:-${defaultEnvironment}}.yml` }] },
    services: [],
  });
  files.push({
    kind: 'entry',
    path: join(request.outDir, 'compose.yaml'),
    header: [
      ENTRY_FILE_FIRST_LINE,
      'the project, so the name stands here too.',
      ...(Object.keys(commonExtensions).length > 0 ? ['The x- fields are settings of the original files, kept so the resolved model stays the same.'] : []),
    ],
    document: { name: projectName, include: [relative(request.outDir, join(layout, 'docker-compose.yml'))], ...commonExtensions },
    services: [],
  });
  return { projectName, selector, defaultEnvironment, composeFiles: files, groupServices, droppedExtensions, extensionFiles };
}

/** Services in the order they first appear, environment by environment. */
function orderedServices(models: readonly RawModel[]): string[] {
  const seen = new Set<string>();
  for (const model of models) for (const name of Object.keys(model.services)) seen.add(name);
  return [...seen];
}

/** A service as written in a file of `dir`: shortest spelling, host paths relative to `dir`. */
function written(service: Mapping, dir: string): Mapping {
  return toWrittenForm(unmarkPaths(service, dir));
}
