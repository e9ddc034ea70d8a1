import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseDotenvFiles } from '../dotenv/env-files.js';
import { includeEnvFiles } from './include-env.js';
import { includeFolders } from './include-folders.js';
import { COMPOSE_ERROR_CODES, ComposeError } from '../errors.js';
import { interpolateModel } from '../interpolation/interpolate.js';
import { mergeExtendedService, mergeModels } from '../merge/merge.js';
import { enforceUnicity } from '../merge/unicity.js';
import { resolveRelativePaths } from '../paths/resolve-paths.js';
import { validateAgainstSchema } from '../schema/validate-schema.js';
import { omitEmpty, setDefaultValues, toCanonical } from '../transform/canonical.js';
import { cloneValue, deepEqual, setEntry } from '../plain-object.js';
import { isPlainObject, parseComposeYaml } from '../yaml/parse-yaml.js';
import { readYamlText } from '../compose-file-text.js';
import { systemErrorText } from './system-error-text.js';
import type { TreePath } from '../tree-path.js';
import { locate, positionOf, type Environment, type LoadSession, type LoadSwitches } from './context.js';
import { STDIN_FILE } from './project-options.js';
import { applyResets } from './reset.js';
import { validateModel } from './validate-model.js';
import { holdImported, IMPORTED_SECTIONS, restoreHeld } from './settled-resources.js';

/** The files to load together (merged in order), their base directory and variables. */
export interface ConfigDetails {
  /**
   * What the model's relative paths are resolved against: the project's working directory, or
   * for an included model its folder relative to the including model's `loaderDir` (compose-go's
   * `relworkingdir`), so that its paths stay relative until the project's own resolution.
   */
  workingDir: string;
  /**
   * The absolute folder the files' own references (include paths, extends files) are found
   * from: compose-go's local resource loader. The working directory unless told.
   */
  loaderDir?: string;
  files: string[];
  environment: Environment;
}

const DEFAULT_SWITCHES: LoadSwitches = {
  skipInterpolation: false,
  skipValidation: false,
  skipExtends: false,
  skipInclude: false,
  skipDefaultValues: false,
  resolvePaths: true,
};

/** Parsed files, shared by every load of one project (a file extended twice is parsed once). */
type ParseCache = Map<string, ReturnType<typeof parseComposeYaml>>;

interface LoaderState {
  session: LoadSession;
  parsed: ParseCache;
  /** Files loaded as `extends` bases, per variable set (a base file is processed once per load). */
  extendedFiles: WeakMap<Environment, Map<string, LoadedFile>>;
}

/**
 * Loads and merges `details.files` like Compose's loader: per document interpolation, extends,
 * include, merge, schema validation and canonical form; then defaults and absolute paths.
 */
export function loadYamlModel(
  details: ConfigDetails,
  session: LoadSession,
  switches: Partial<LoadSwitches> = {},
  included: string[] = [],
): Record<string, unknown> {
  const state: LoaderState = { session, parsed: new Map(), extendedFiles: new WeakMap() };
  return loadModel(details, { ...DEFAULT_SWITCHES, ...switches }, included, state);
}

function loadModel(details: ConfigDetails, switches: LoadSwitches, included: string[], state: LoaderState): Record<string, unknown> {
  let model: Record<string, unknown> = {};
  const folders = { workingDir: details.workingDir, loaderDir: details.loaderDir ?? details.workingDir };
  for (const file of details.files) {
    model = loadYamlFile(file, switches, folders, details.environment, model, included, state).model;
  }
  if (!switches.skipDefaultValues) model = setDefaultValues(model);
  if (!switches.skipValidation) {
    try {
      validateModel(model);
    } catch (error) {
      throw locate(error, state.session);
    }
  }
  if (switches.resolvePaths) resolveRelativePaths(model, details.workingDir, state.session.home);
  resolveEnvironmentEntries(model, details.environment);
  return model;
}

function readComposeFile(file: string, state: LoaderState): ReturnType<typeof parseComposeYaml> {
  const cached = state.parsed.get(file);
  if (cached) return cached;
  const ahead = state.session.parsedAhead?.get(file);
  if (ahead) {
    state.session.parsedAhead?.delete(file);
    state.parsed.set(file, ahead);
    return ahead;
  }
  let text: string;
  try {
    text = state.session.readText(file);
  } catch (error) {
    // Bytes Compose's YAML reader refuses: already a located error.
    if (error instanceof ComposeError) throw error;
    throw new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `open ${file}: ${systemErrorText(error)}`, { file });
  }
  const documents = parseComposeYaml(text, file);
  state.parsed.set(file, documents);
  return documents;
}

/** Reads a compose file; `-` is standard input (read once per process). */
export function readComposeText(file: string): string {
  if (file !== STDIN_FILE) return readYamlText(file);
  stdinText ??= readYamlText(0);
  return stdinText;
}

let stdinText: string | undefined;

interface LoadedFile {
  model: Record<string, unknown>;
  resetPaths: TreePath[];
}

/** A model's two folders (see `ConfigDetails`). */
interface ModelFolders {
  workingDir: string;
  loaderDir: string;
}

function loadYamlFile(
  file: string,
  switches: LoadSwitches,
  folders: ModelFolders,
  environment: Environment,
  model: Record<string, unknown>,
  included: string[],
  state: LoaderState,
): LoadedFile {
  const documents = readComposeFile(file, state);
  let resetPaths: TreePath[] = [];
  for (const document of documents) {
    state.session.sources.push({ file, positions: document.positions });
    try {
      // An empty document after a `---` is refused too, as go-yaml hands it to Compose as null.
      if (!isPlainObject(document.value)) {
        throw new ComposeError(COMPOSE_ERROR_CODES.INVALID_DOCUMENT, `top-level object must be a mapping (${documentKind(document.value, documents.length)})`, { file });
      }
      // Documents are shared by the parse cache: work on a copy (interpolation makes a new one).
      let config = switches.skipInterpolation ? cloneValue(document.value) : document.value;
      if (!switches.skipInterpolation) {
        config = interpolateModel(config, {
          lookup: (name) => environment.get(name),
          onUnset: (name) => {
            if (state.session.warnedVariables.has(name)) return;
            state.session.warnedVariables.add(name);
            state.session.warn(`The "${name}" variable is not set. Defaulting to a blank string.`);
          },
          onWarning: (message) => state.session.warn(message),
        });
      }
      if (!switches.skipExtends) applyExtends(config, file, folders.loaderDir, environment, switches, new ExtendsTracker(), document.resetPaths, state);
      applyResets(model, document.resetPaths);
      // The chain of files that led here: a file included twice through different modules (a
      // diamond) is fine, only a file that includes itself through its own chain is a cycle.
      const imported = switches.skipInclude ? NOTHING_IMPORTED : applyInclude(config, folders, environment, switches, [...included, file], state);
      model = mergeModels(model, config);
      const held = holdImported(model, imported);
      model = enforceUnicity(model);
      if (!switches.skipValidation) {
        validateAgainstSchema(model, file);
        if ('version' in model) {
          state.session.warn(`${file}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
          delete model.version;
        }
      }
      model = toCanonical(model, { keepUnparsable: switches.skipInterpolation });
      model = omitEmpty(model);
      model = enforceUnicity(model);
      model = restoreHeld(model, held);
      resetPaths = document.resetPaths;
    } catch (error) {
      throw locate(error, state.session, file);
    }
  }
  return { model, resetPaths };
}

/**
 * Loads a file named by `extends.file` (canonical), once per load and working directory. Its
 * relative paths are rebased on its folder relative to the working directory, as compose-go's
 * `localResourceLoader.Dir` gives it (`sub/data`, not `/project/sub/data`): the working
 * directory's own resolution makes them absolute later, and meanwhile an env file a later `-f`
 * file lists with the same relative path is the same entry when the merge de-duplicates.
 */
function loadExtendedFile(file: string, workingDir: string, environment: Environment, switches: LoadSwitches, state: LoaderState): LoadedFile {
  let byFile = state.extendedFiles.get(environment);
  if (!byFile) {
    byFile = new Map();
    state.extendedFiles.set(environment, byFile);
  }
  const baseDir = relative(workingDir, dirname(file)) || '.';
  const key = `${baseDir}\u0000${file}`;
  const cached = byFile.get(key);
  if (cached) return cached;
  const loaded = loadYamlFile(
    file,
    { ...switches, resolvePaths: false, skipInclude: true, skipExtends: true, skipValidation: true, skipDefaultValues: true },
    { workingDir: dirname(file), loaderDir: dirname(file) },
    environment,
    {},
    [],
    state,
  );
  resolveRelativePaths(loaded.model, baseDir, state.session.home);
  byFile.set(key, loaded);
  return loaded;
}

/** Tracks the chain of services being extended, to refuse cycles. */
class ExtendsTracker {
  constructor(private readonly chain: ReadonlyArray<{ file: string; service: string }> = []) {}

  add(file: string, service: string): ExtendsTracker {
    if (this.chain.some((entry) => entry.file === file && entry.service === service)) {
      const [first, ...rest] = [...this.chain, { file, service }];
      const steps = rest.map((entry) => `extends ${entry.service} in ${entry.file}`).join(', ');
      throw new ComposeError(
        COMPOSE_ERROR_CODES.EXTENDS_CYCLE,
        `Circular reference: ${first?.service ?? service} in ${first?.file ?? file}, ${steps}`,
        { file, modelPath: `services.${service}.extends` },
      );
    }
    return new ExtendsTracker([...this.chain, { file, service }]);
  }
}

function applyExtends(
  config: Record<string, unknown>,
  file: string,
  workingDir: string,
  environment: Environment,
  switches: LoadSwitches,
  tracker: ExtendsTracker,
  resetPaths: readonly TreePath[],
  state: LoaderState,
): void {
  const services = config.services;
  // A `services:` key left empty (null) is refused here, before `include` could fill it.
  if (services === undefined) return;
  if (!isPlainObject(services)) throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, 'services must be a mapping', { file, modelPath: 'services' });
  for (const name of Object.keys(services)) {
    services[name] = extendService(name, services, file, workingDir, environment, switches, tracker, resetPaths, state);
  }
}

function extendService(
  name: string,
  services: Record<string, unknown>,
  file: string,
  workingDir: string,
  environment: Environment,
  switches: LoadSwitches,
  tracker: ExtendsTracker,
  resetPaths: readonly TreePath[],
  state: LoaderState,
): unknown {
  const service = services[name];
  if (service === null || service === undefined) return null;
  if (!isPlainObject(service)) {
    throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `services.${name} must be a mapping`, { modelPath: `services.${name}` });
  }
  const extendsValue = service.extends;
  if (extendsValue === undefined) return service;
  let reference: string;
  let otherFile: string | undefined;
  if (isPlainObject(extendsValue)) {
    if (typeof extendsValue.service !== 'string') {
      throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `services.${name}.extends.service is required`, { modelPath: `services.${name}.extends` });
    }
    reference = extendsValue.service;
    if (typeof extendsValue.file === 'string') otherFile = extendsValue.file;
  } else if (typeof extendsValue === 'string') {
    reference = extendsValue;
  } else {
    throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `services.${name}.extends must be a string or a mapping`, {
      modelPath: `services.${name}.extends`,
    });
  }

  let baseServices = services;
  let baseFile = file;
  let baseResetPaths: readonly TreePath[] = [];
  if (otherFile !== undefined) {
    const absolute = isAbsolute(otherFile) ? otherFile : resolve(workingDir, otherFile);
    baseFile = absolute;
    let loaded: LoadedFile;
    try {
      loaded = loadExtendedFile(absolute, workingDir, environment, switches, state);
    } catch (error) {
      throw namedWhereMissing(error, [absolute], `extends file ${otherFile}`, { file, modelPath: `services.${name}.extends.file` });
    }
    const otherServices = loaded.model.services;
    if (!isPlainObject(otherServices)) {
      throw new ComposeError(COMPOSE_ERROR_CODES.EXTENDS_NOT_FOUND, `cannot extend service "${name}" in ${absolute}: no services section`, {
        file,
        modelPath: `services.${name}.extends`,
      });
    }
    if (!Object.hasOwn(otherServices, reference)) {
      throw new ComposeError(
        COMPOSE_ERROR_CODES.EXTENDS_NOT_FOUND,
        `cannot extend service "${name}" in ${file}: service "${reference}" not found in ${otherFile}`,
        { file, modelPath: `services.${name}.extends` },
      );
    }
    baseServices = otherServices;
    baseResetPaths = loaded.resetPaths;
  } else if (!Object.hasOwn(services, reference)) {
    throw new ComposeError(
      COMPOSE_ERROR_CODES.EXTENDS_NOT_FOUND,
      `cannot extend service "${name}" in ${file}: service "${reference}" not found`,
      { file, modelPath: `services.${name}.extends` },
    );
  }

  const nextTracker = tracker.add(baseFile === file ? file : baseFile, name);
  // The base's own `extends.file` was rebased on the working directory too.
  const base = extendService(reference, baseServices, baseFile, workingDir, environment, switches, nextTracker, baseResetPaths, state);
  if (base === null || base === undefined) return service;
  const source = cloneValue(base) as Record<string, unknown>;
  // `!reset` in the extending file also applies to what the base brings.
  const scoped = { services: { [name]: source } };
  applyResets(scoped, resetPaths);
  state.session.extended.push({ file, service: `services.${name}`, baseFile, base: `services.${reference}` });
  let merged: Record<string, unknown>;
  try {
    merged = mergeExtendedService(scoped.services[name] ?? source, service);
  } catch (error) {
    throw namedInBoth(error, name, file, reference, baseFile, state.session);
  }
  delete merged.extends;
  services[name] = merged;
  return merged;
}

/**
 * Compose merges a service over its base under the path `services.x`; a value the two give
 * different types is reported at the extending service's key, naming where the base has it.
 */
function namedInBoth(error: unknown, name: string, file: string, reference: string, baseFile: string, session: LoadSession): unknown {
  const placeholder = 'services.x';
  if (!(error instanceof ComposeError) || error.code !== COMPOSE_ERROR_CODES.MERGE || !error.modelPath?.startsWith(placeholder)) return error;
  const rest = error.modelPath.slice(placeholder.length);
  const basePath = `services.${reference}${rest}`;
  const position = positionOf(session, baseFile, basePath);
  const where = position ? `${baseFile}:${position.line}:${position.column}` : baseFile;
  return new ComposeError(
    COMPOSE_ERROR_CODES.MERGE,
    `cannot override services.${name}${rest}: the service it extends gives it another type (${basePath} at ${where})`,
    { file, modelPath: `services.${name}${rest}` },
  );
}

interface IncludeConfig {
  path: string[];
  projectDirectory?: string;
  envFile: string[];
}

function parseInclude(entry: unknown, index: number): IncludeConfig {
  const where = `include[${index}]`;
  // A null entry or field decodes to Go's zero value: an entry that loads nothing.
  const raw = typeof entry === 'string' ? { path: entry } : entry === null ? {} : entry;
  if (!isPlainObject(raw)) throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `${where} must be a string or a mapping`, { modelPath: 'include' });
  const asList = (value: unknown, field: string): string[] => {
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `${where}.${field} must be a string or a list of strings`, { modelPath: 'include' });
  };
  // No path is no error: compose-go checks `include` against no schema and loads nothing for it.
  const path = asList(raw.path, 'path');
  const projectDirectory = raw.project_directory ?? undefined;
  if (projectDirectory !== undefined && typeof projectDirectory !== 'string') {
    throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, `${where}.project_directory must be a string`, { modelPath: 'include' });
  }
  return { path, projectDirectory, envFile: asList(raw.env_file, 'env_file') };
}

function applyInclude(
  model: Record<string, unknown>,
  { workingDir, loaderDir }: ModelFolders,
  environment: Environment,
  switches: LoadSwitches,
  included: string[],
  state: LoaderState,
): ReadonlySet<unknown> {
  const includes = model.include;
  if (includes === undefined || includes === null) return NOTHING_IMPORTED;
  if (!Array.isArray(includes)) throw new ComposeError(COMPOSE_ERROR_CODES.SCHEMA, '`include` must be a list', { modelPath: 'include' });
  const imported = new Set<unknown>();
  includes.forEach((entry, index) => {
    const include = parseInclude(entry, index);
    const paths = include.path.map((path) => (isAbsolute(path) ? path : resolve(loaderDir, path)));
    const main = paths[0] ?? '';
    // As compose-go's ApplyInclude: the project directory is joined to the including model's
    // working directory (relative inside an included file, and then found from the current
    // directory), while the included model's paths are based on its folder relative to the loader.
    const { projectDirectory, pathsBase } = includeFolders(main, include.projectDirectory, { workingDir, loaderDir });
    const cwd = state.session.cwd ?? process.cwd();
    if (included.includes(main)) {
      const chain = [...included, main];
      throw new ComposeError(COMPOSE_ERROR_CODES.INCLUDE_CYCLE, `include cycle detected: ${chain.join(' include ')}`, {
        file: included[included.length - 1],
        modelPath: 'include',
      });
    }
    const envFiles = includeEnvFiles(include.envFile, workingDir, projectDirectory, cwd);
    const fromFiles = parseDotenvFiles(envFiles, environment);
    if (paths.length === 0) return;
    const includeEnvironment = new Map(environment);
    for (const [key, value] of fromFiles) if (!includeEnvironment.has(key)) includeEnvironment.set(key, value);
    let loaded: Record<string, unknown>;
    try {
      loaded = loadModel(
        { workingDir: pathsBase, loaderDir: resolve(cwd, projectDirectory), files: paths, environment: includeEnvironment },
        { ...switches, resolvePaths: true },
        included,
        state,
      );
    } catch (error) {
      throw namedWhereMissing(error, paths, `include ${include.path.join(', ')}`, { file: included[included.length - 1], modelPath: 'include' });
    }
    importResources(loaded, model, imported);
  });
  delete model.include;
  return imported;
}

const NOTHING_IMPORTED: ReadonlySet<unknown> = new Set();

/**
 * A file that `include` or `extends` names and that does not exist is reported at the line that
 * names it, as a missing `env_file` is: the missing file has no line to point at. Errors from
 * inside a file that does exist pass through as they are.
 */
function namedWhereMissing(error: unknown, named: readonly string[], what: string, where: { file?: string; modelPath: string }): unknown {
  if (!(error instanceof ComposeError) || error.code !== COMPOSE_ERROR_CODES.FILE_NOT_FOUND || error.line !== undefined) return error;
  const missing = error.file;
  if (missing === undefined || !named.includes(missing)) return error;
  return new ComposeError(COMPOSE_ERROR_CODES.FILE_NOT_FOUND, `${what}: ${error.message}`, { ...where, missingPath: missing });
}

/** Copies the included model's resources into `target`, adding each one copied to `imported`. */
function importResources(source: Record<string, unknown>, target: Record<string, unknown>, imported: Set<unknown>): void {
  for (const section of IMPORTED_SECTIONS) {
    const from = source[section];
    if (!isPlainObject(from)) continue;
    const existing = target[section];
    const into: Record<string, unknown> = isPlainObject(existing) ? existing : {};
    for (const [name, value] of Object.entries(from)) {
      // Own entries only: a resource may be named `__proto__`, which every object inherits.
      if (Object.hasOwn(into, name)) {
        if (deepEqual(value, into[name])) continue;
        throw new ComposeError(COMPOSE_ERROR_CODES.INCLUDE_CONFLICT, `${section}.${name} conflicts with imported resource`, {
          modelPath: `${section}.${name}`,
        });
      }
      setEntry(into, name, value);
      if (isPlainObject(value)) imported.add(value);
    }
    target[section] = into;
  }
}

/** Resolves `environment: [NAME]` entries (list form, no value) from the project variables. */
function resolveEnvironmentEntries(model: Record<string, unknown>, environment: Environment): void {
  const services = model.services;
  if (!isPlainObject(services)) return;
  for (const service of Object.values(services)) {
    if (!isPlainObject(service) || !Array.isArray(service.environment)) continue;
    service.environment = service.environment
      .filter((entry): entry is string => typeof entry === 'string')
      .map((entry) => {
        const value = environment.get(entry);
        return value === undefined ? entry : `${entry}=${value}`;
      });
  }
}

/** What a compose file's document is instead of a mapping, for the one-line error. */
function documentKind(value: unknown, documentCount: number): string {
  const kind = value === null ? 'empty' : Array.isArray(value) ? 'a sequence' : `a ${typeof value === 'string' ? 'string' : 'scalar'}`;
  return documentCount > 1 ? `one of its ${documentCount} documents is ${kind}` : `it is ${kind}`;
}
