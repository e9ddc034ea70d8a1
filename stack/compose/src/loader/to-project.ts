import { existsSync, readFileSync } from 'node:fs';
import { decodeUtf8Text } from '../compose-file-text.js';
import { parseDotenv } from '../dotenv/parse-dotenv.js';
import { parseRawEnv } from '../dotenv/parse-raw-env.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { isPlainObject, setEntry } from '../plain-object.js';
import { decodeResource, FILE_OBJECT_FIELDS, inDeclarationOrder, MODEL_FIELDS, NETWORK_FIELDS, SERVICE_FIELDS, sortedKeys, VOLUME_FIELDS } from '../model/decode.js';
import type { Project, ResourceConfig, ServiceConfig } from '../model/project.js';
import { checkConsistency } from './consistency.js';
import { systemErrorText } from './system-error-text.js';
import type { Environment } from './context.js';

type Fields = Parameters<typeof decodeResource>[1];

/** Inputs of {@link modelToProject} besides the model. */
export interface ToProjectInput {
  name: string;
  workingDir: string;
  composeFiles: string[];
  environment: Environment;
  profiles: string[];
  /** Enables services that list the profile "" (see ResolvedSource.emptyProfileActive). */
  emptyProfileActive?: boolean;
  warnings: string[];
  skipConsistency?: boolean;
}

/**
 * Binds a normalized model to the project: typed fields in the form `config` prints, `x-*`
 * fields kept aside, profiles applied, consistency checked, env_file folded into environment.
 */
export function modelToProject(model: Record<string, unknown>, input: ToProjectInput): Project {
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) if (key.startsWith('x-')) extensions[key] = value;

  const all: Record<string, ServiceConfig> = {};
  const rawServices = isPlainObject(model.services) ? model.services : {};
  for (const [name, raw] of Object.entries(rawServices)) {
    setEntry(all, name, decodeWithExtensions(isPlainObject(raw) ? raw : {}, SERVICE_FIELDS, `services.${name}`));
  }
  const project: Project = {
    name: input.name,
    workingDir: input.workingDir,
    composeFiles: input.composeFiles,
    environment: Object.fromEntries(input.environment),
    services: {},
    disabledServices: {},
    networks: decodeSection(model.networks, NETWORK_FIELDS, 'networks'),
    volumes: decodeSection(model.volumes, VOLUME_FIELDS, 'volumes'),
    secrets: decodeSection(model.secrets, FILE_OBJECT_FIELDS, 'secrets'),
    configs: decodeSection(model.configs, FILE_OBJECT_FIELDS, 'configs'),
    extensions,
    profiles: input.profiles,
    warnings: input.warnings,
  };
  if (isPlainObject(model.models)) project.models = decodeSection(model.models, MODEL_FIELDS, 'models');
  const active = input.emptyProfileActive ? [...input.profiles, ''] : input.profiles;
  for (const [name, service] of Object.entries(all)) {
    if (hasProfile(service, active)) setEntry(project.services, name, service);
    else setEntry(project.disabledServices, name, service);
  }
  if (!input.skipConsistency) checkConsistency(project);
  for (const [name, service] of Object.entries(project.services)) {
    setEntry(project.services, name, inDeclarationOrder(resolveServiceLabels(resolveServiceEnvironment(service, input.environment, name), name), SERVICE_FIELDS));
  }
  return project;
}

function decodeWithExtensions(raw: Record<string, unknown>, fields: Fields, where: string): Record<string, unknown> {
  const { value, extensions } = decodeResource(raw, fields, where);
  return { ...value, ...extensions };
}

function decodeSection(section: unknown, fields: Fields, where: string): Record<string, ResourceConfig> {
  const out: Record<string, ResourceConfig> = {};
  if (!isPlainObject(section)) return out;
  for (const [name, raw] of Object.entries(section)) {
    setEntry(out, name, decodeWithExtensions(isPlainObject(raw) ? raw : {}, fields, `${where}.${name}`));
  }
  return out;
}

/** True when the service has no profile or one of `profiles` (`*` enables all). */
export function hasProfile(service: ServiceConfig, profiles: readonly string[]): boolean {
  const own = service.profiles ?? [];
  if (own.length === 0) return true;
  return profiles.some((profile) => profile === '*' || own.includes(profile));
}

/**
 * Folds `env_file` into `environment`: entries without value come from the project variables,
 * env files fill the rest in order, and `environment` itself always wins.
 */
function resolveServiceEnvironment(service: ServiceConfig, projectEnvironment: Environment, name: string): ServiceConfig {
  const own: Record<string, string | null> = { ...(service.environment ?? {}) };
  for (const [key, value] of Object.entries(own)) {
    if (value === null) {
      const found = projectEnvironment.get(key);
      if (found !== undefined) own[key] = found;
    }
  }
  const envFiles = Array.isArray(service.env_file) ? (service.env_file as unknown[]) : [];
  const merged = new Map<string, string>();
  for (const [key, value] of Object.entries(own)) merged.set(key, value ?? '');
  for (const entry of envFiles) {
    if (!isPlainObject(entry) || typeof entry.path !== 'string') continue;
    if (!existsSync(entry.path)) {
      if (entry.required === false) continue;
      throw new ComposeError(
        COMPOSE_ERROR_CODES.FILE_NOT_FOUND,
        `env file ${entry.path} not found: stat ${entry.path}: no such file or directory (services.${name}.env_file)`,
        // Where the compose file names it: the missing file has no line to point at.
        { modelPath: `services.${name}.env_file`, missingPath: entry.path },
      );
    }
    const format = typeof entry.format === 'string' && entry.format !== '' ? entry.format : '.env';
    const parse = ENV_FILE_FORMATS[format];
    if (!parse) {
      throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_SYNTAX, `unsupported env_file format ${JSON.stringify(format)} (services.${name}.env_file)`, {
        file: entry.path,
      });
    }
    const parsed = parse(readListedFile(entry.path, `services.${name}.env_file`), (key) => projectEnvironment.get(key) ?? own[key] ?? merged.get(key) ?? undefined, entry.path);
    for (const [key, value] of parsed) merged.set(key, value);
  }
  const environment: Record<string, string | null> = Object.fromEntries(merged);
  Object.assign(environment, own);
  const sorted = sortedKeys(environment);
  const resolved: ServiceConfig = { ...service };
  delete resolved.env_file;
  if (Object.keys(sorted).length > 0) resolved.environment = sorted;
  else delete resolved.environment;
  return resolved;
}

/** The env_file formats Compose reads: its own `.env` dialect (the default) and `raw`. */
const ENV_FILE_FORMATS: Record<string, typeof parseDotenv> = { '.env': parseDotenv, raw: parseRawEnv };

/**
 * Folds `label_file` into `labels` (files in order, then `labels` itself wins), like Compose, and
 * drops `label_file` as `docker compose config` does: it loads with `WithDiscardEnvFile`, which
 * compose-go v2.9.1 applies to label files too (`WithServicesLabelsResolved(discard)`).
 */
/**
 * The text of an env or label file a service lists, which exists: a folder or a file this user
 * may not read is a located error, worded as Compose words it.
 */
function readListedFile(path: string, modelPath: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    // Go fails a folder at read(2), anything else at open(2).
    const reason = `${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'read' : 'open'} ${path}: ${systemErrorText(error)}`;
    throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `failed to read ${path}: ${reason} (${modelPath})`, { modelPath, missingPath: path });
  }
  return decodeUtf8Text(bytes, path);
}

function resolveServiceLabels(service: ServiceConfig, name: string): ServiceConfig {
  const files = service.label_file;
  if (!Array.isArray(files)) return service;
  const labels = new Map<string, string>();
  for (const file of files) {
    const path = String(file);
    if (!existsSync(path)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `label file ${path} not found (services.${name}.label_file)`, { file: path });
    }
    for (const [key, value] of parseDotenv(readListedFile(path, `services.${name}.label_file`), (key) => labels.get(key), path)) labels.set(key, value);
  }
  const resolved: ServiceConfig = { ...service, labels: sortedKeys({ ...Object.fromEntries(labels), ...(service.labels ?? {}) }) };
  delete resolved.label_file;
  if (Object.keys(resolved.labels ?? {}).length === 0) delete resolved.labels;
  return resolved;
}
